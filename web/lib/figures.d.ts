export function humanizeKey(key: string): string;
export function formatValue(value: unknown): string;
export function flattenFigures(result: unknown, options?: { maxRows?: number }): [string, string][];
export function describeArguments(args: unknown): string;
