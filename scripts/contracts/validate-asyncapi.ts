import { DiagnosticSeverity, Parser } from '@asyncapi/parser';

const REPORTED: ReadonlySet<number> = new Set([
  DiagnosticSeverity.Error,
  DiagnosticSeverity.Warning,
]);

/** Problems @asyncapi/parser finds in the document (errors and warnings alike), as text. */
export async function asyncApiDiagnostics(text: string): Promise<string[]> {
  const { diagnostics } = await new Parser().parse(text);
  return diagnostics
    .filter(({ severity }) => REPORTED.has(severity))
    .map(({ code, message, path }) => `${String(code)} at ${path.join('.')}: ${message}`);
}
