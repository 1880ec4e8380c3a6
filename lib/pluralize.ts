/** 1 → "1 session", 3 → "3 sessions": counts in text a person reads. */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
