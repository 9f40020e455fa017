// Types for secret-scan.js.
export const SECRET_SHAPES: { kind: string; pattern: RegExp }[];
export function listFiles(roots: string[], skipDirs?: string[]): string[];
export function scanFiles(
	files: string[],
	secretsByKind: Record<string, string[]>,
	options?: { skipShapes?: (file: string) => boolean },
): { file: string; kind: string }[];
