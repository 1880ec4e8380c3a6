/** Small vector and set similarities shared by retrieval and sentence selection. Pure. */

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += a[index]! * b[index]!;
  return sum;
}

/** Cosine similarity; 0 when either vector is zero (a text with no known words). */
export function cosine(a: Float32Array, b: Float32Array): number {
  const normA = Math.sqrt(dot(a, a));
  const normB = Math.sqrt(dot(b, b));
  return normA > 0 && normB > 0 ? dot(a, b) / (normA * normB) : 0;
}

/** Jaccard overlap of two sets: shared / union, 0 for two empty sets. */
export function jaccard<T>(a: Set<T>, b: Set<T>): number {
  let shared = 0;
  for (const item of a) if (b.has(item)) shared += 1;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}
