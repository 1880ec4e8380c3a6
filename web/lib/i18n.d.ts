export type Language = 'en' | 'zh';
export const LANGUAGES: Language[];
export const STRINGS: Record<Language, Record<string, string>>;
export const FIGURE_LABELS: Record<Language, Record<string, string>>;
interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
export function initLanguage(storage?: KeyValueStorage, navigatorLanguage?: string): Language;
export function getLanguage(): Language;
export function setLanguage(language: string, storage?: KeyValueStorage): Language;
export function getLocale(language?: Language): string;
export function t(key: string, values?: Record<string, unknown>, language?: Language): string;
export function figureLabel(key: string, values?: Record<string, unknown>, language?: Language): string | undefined;
export function applyStaticLabels(root?: unknown): void;
