/**
 * Exact nearest neighbours by brute force over a packed matrix of L2-normalised vectors (cosine =
 * dot product): the ground truth for the approximate index's recall, and the baseline it must beat.
 */
export interface VectorMatrix {
  dim: number;
  count: number;
  data: Float32Array;
}

export function createVectorMatrix(dim: number, capacity: number): VectorMatrix {
  return { dim, count: 0, data: new Float32Array(dim * capacity) };
}

/** Stores `vector` at row `row` (rows are the index labels, assigned in insertion order). */
export function setRow(matrix: VectorMatrix, row: number, vector: Float32Array): void {
  matrix.data.set(vector, row * matrix.dim);
  matrix.count = Math.max(matrix.count, row + 1);
}

/** Rows of the k largest dot products with `query`, best first. */
export function exactTopK(matrix: VectorMatrix, query: Float32Array, k: number): number[] {
  const { dim, count, data } = matrix;
  const bestRows: number[] = [];
  const bestScores: number[] = [];
  for (let row = 0; row < count; row += 1) {
    let score = 0;
    const offset = row * dim;
    for (let index = 0; index < dim; index += 1) score += data[offset + index]! * query[index]!;
    if (bestScores.length === k && score <= bestScores[k - 1]!) continue;
    let position = bestScores.length === k ? k - 1 : bestScores.length;
    while (position > 0 && bestScores[position - 1]! < score) {
      bestScores[position] = bestScores[position - 1]!;
      bestRows[position] = bestRows[position - 1]!;
      position -= 1;
    }
    bestScores[position] = score;
    bestRows[position] = row;
  }
  return bestRows;
}
