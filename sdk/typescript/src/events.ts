// Server-sent events over `fetch`: a browser's `EventSource` cannot send `Authorization`,
// so streams are read here, and resumed with `Last-Event-ID` whenever one ends, as
// `EventSource` would.

/** One event of a stream. */
export interface ServerEvent {
  id?: string;
  event: string;
  data: string;
}

/** The events of a `text/event-stream` body, as they arrive (comments and `retry:` skipped). */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffered = "";
  let event: { id?: string; event?: string; data: string[] } = { data: [] };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffered += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffered.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + (buffered.startsWith("\r\n", end) ? 2 : 1));
        if (line === "") {
          if (event.data.length > 0) yield { id: event.id, event: event.event ?? "message", data: event.data.join("\n") };
          event = { data: [] };
          continue;
        }
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "id") event.id = text;
        else if (field === "event") event.event = text;
        else if (field === "data") event.data.push(text);
      }
    }
  } finally {
    // A caller that stops reading closes the connection (a no-op once the stream ended).
    await reader.cancel().catch(() => {});
  }
}

export interface FollowOptions {
  /** Ends the stream (the generator returns). */
  signal?: AbortSignal;
  /** Resume after this event id rather than from the start. */
  lastEventId?: string;
  /** Consecutive failed connections tolerated before the error is thrown (5 unless set). */
  retries?: number;
}

/**
 * Follows the stream `open` answers, resuming with `Last-Event-ID` each time one ends,
 * until a 204 says there is nothing more, `signal` aborts, or the caller stops iterating.
 * `open` is called for every connection with the last id read; an answer other than 200
 * or 204 goes to `refused`, which throws.
 */
export async function* follow(
  open: (lastEventId: string | undefined, signal: AbortSignal | undefined) => Promise<Response>,
  refused: (response: Response) => Promise<never>,
  options: FollowOptions = {},
): AsyncGenerator<ServerEvent> {
  let last = options.lastEventId;
  let failures = 0;
  const retries = options.retries ?? 5;
  while (!options.signal?.aborted) {
    let response: Response;
    try {
      response = await open(last, options.signal);
    } catch (error) {
      if (options.signal?.aborted) return;
      if (++failures > retries) throw error;
      await pause(Math.min(30_000, 500 * 2 ** failures), options.signal);
      continue;
    }
    if (response.status === 204) return;
    if (response.status !== 200 || !response.body) await refused(response);
    failures = 0;
    try {
      for await (const event of readEvents(response.body!)) {
        if (event.id !== undefined) last = event.id;
        yield event;
      }
    } catch (error) {
      // A connection cut mid-stream is resumed like one that ended.
      if (options.signal?.aborted) return;
      if (++failures > retries) throw error;
    }
    await pause(1_000, options.signal);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
