/**
 * What a fault suite shows when a request fails: the apps' log lines naming the request ids it
 * was given (`x-request-id`, or the `requestId` of a problem body), and every warning and error,
 * so that a failure in CI can be read without running the suite again.
 */
export function appLogLinesAbout(requestIds: readonly string[], logs: string): string[] {
  return logs
    .split('\n')
    .filter(
      (line) =>
        requestIds.some((id) => line.includes(id)) || /"level":"(warn|error|fatal)"/.test(line),
    );
}

/** The request id a problem+json body names, if any. */
export const requestIdIn = (body: string): string | undefined =>
  /"requestId":"([0-9a-f]+)"/.exec(body)?.[1];
