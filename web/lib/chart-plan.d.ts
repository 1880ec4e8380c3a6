export interface ChartCard {
  type: 'single' | 'compare';
  key: string;
  title: string;
  from: string;
  to: string;
  series: { symbol: string; name: string }[];
  sessions?: { date: string; close?: number }[];
  table: { columns: string[]; rows: string[][] };
}
export function planCharts(toolCalls: { name: string; arguments?: unknown; result?: unknown; error?: unknown }[] | undefined): ChartCard[];
export function rebase(closes: (number | null)[]): (number | null)[];
export function number(value: unknown): string;
export function percent(value: unknown): string;
export function unsignedPercent(value: unknown): string;
