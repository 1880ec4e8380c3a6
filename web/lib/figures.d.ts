type Language = 'en' | 'zh';
export function humanizeKey(key: string): string;
export function formatNumber(value: unknown, options?: { digits?: number; signed?: boolean; language?: Language }): string;
export function formatPercent(value: unknown, options?: { signed?: boolean; language?: Language }): string;
export function formatIsoDate(value: unknown, language?: Language): string;
export function formatValue(value: unknown, key?: string, language?: Language): string;
export function flattenFigures(result: unknown, options?: { maxRows?: number; language?: Language }): [string, string][];
export function describeArguments(args: unknown): string;
