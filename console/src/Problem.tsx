import { ApiError } from "@nclcdbaas/sdk";

/** An error as a person reads it: the server's message and the request id to quote. */
export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <p className="problem" role="alert">
      {message}
      {requestId && <span className="request-id"> (request id {requestId})</span>}
    </p>
  );
}
