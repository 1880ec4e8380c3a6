/** Scales to unit length in place; a zero (or non-finite) vector becomes all zeros, never NaN. */
export function normalizeVector(vector: Float32Array): Float32Array {
  let squares = 0;
  for (const value of vector) squares += value * value;
  const norm = Math.sqrt(squares);
  if (!(norm > 1e-12) || !Number.isFinite(norm)) return vector.fill(0);
  for (let index = 0; index < vector.length; index += 1) vector[index] /= norm;
  return vector;
}
