export function fillPath(path: string, values: Record<string, string>): string;
export function describeSchema(schema: unknown, components?: { schemas?: Record<string, unknown> }): string;
