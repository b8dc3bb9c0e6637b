import { ApiError } from "@nclcdbaas/sdk";

/**
 * What the console says for the errors a person cannot fix in the form in front of them,
 * by code: what happened, and whom to ask. Any other error reads as the server wrote it.
 */
const SENTENCES: Partial<Record<string, string>> = {
  TENANT_SUSPENDED:
    "This organization is suspended by the platform's operators: its workspaces, bases, API tokens and " +
    "published views are unavailable until they resume it. Contact support.",
};

/** An error as a person reads it: the server's message (or the console's, for some codes) and the request id to quote. */
export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  const message = (code && SENTENCES[code]) ?? (error instanceof Error ? error.message : String(error));
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <p className="problem" role="alert" data-code={code}>
      {message}
      {requestId && <span className="request-id"> (request id {requestId})</span>}
    </p>
  );
}
