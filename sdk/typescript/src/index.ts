// The NC LCDBaaS client: the records API as `client.records`, and every operation of the
// API, typed from the OpenAPI document, as `client.call(operationId, …)`.
//
// `schema.ts` and `operations.ts` are generated (`cargo xtask sdk`); this file is the thin
// layer on top: authentication headers, typed errors, idempotency keys on writes, retries
// of 429 and 503 that honour `Retry-After`, paging by async iteration, and event streams
// read with `fetch` and resumed after the last event read (`events.ts`).

import createFetchClient from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";
import { OPERATIONS, type OperationId } from "./operations.js";
import { follow, type FollowOptions } from "./events.js";

export { follow, readEvents, type FollowOptions, type ServerEvent } from "./events.js";
export type { components, operations, paths } from "./schema.js";
export { OPERATIONS, type OperationId } from "./operations.js";

export type Schemas = components["schemas"];
/** A record as the generic API returns it (`values` untyped; see the base's own document). */
export type ApiRecord = Schemas["Record"];
export type RecordPage = Schemas["RecordList"];

/** Someone following a table or a view: `user:<id>`, `token:<id>` or `visitor:<id>`. */
export interface Present {
  actor: string;
  name: string | null;
  since: string;
}

/** What a stream with presence tells: everyone (at each connection), or one coming or going. */
export type PresenceChange =
  | { type: "presence"; present: Present[] }
  | { type: "user:join" | "user:leave"; person: Present };

export interface ClientOptions {
  /** The API's root URL, e.g. `https://api.example.com`. */
  baseUrl: string;
  /** An API token (`nc_…`) or a signed-in user's access token. */
  token?: string;
  /** The base a user's access token acts on (`X-Base-Id`); optional with an API token. */
  baseId?: string;
  /** Retries of a 429 or 503 answer (and of a failed connection), 3 unless set. */
  retries?: number;
  /** The longest wait between two attempts, in milliseconds (30 s unless set). */
  maxRetryDelayMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** An answer in the API's error model: `code` is stable, `requestId` is what support asks for. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type JsonBody<T> = T extends { content: { "application/json": infer Body } } ? Body : never;
type Success<R> = R extends { responses: infer Responses }
  ? { [S in keyof Responses]: S extends 200 | 201 | 202 ? JsonBody<Responses[S]> : never }[keyof Responses]
  : never;
type Parameters<O> = O extends { parameters: infer P } ? P : never;
type RequestBody<O> = O extends { requestBody: infer B } ? JsonBody<B> : O extends { requestBody?: infer B } ? JsonBody<B> : never;

/** The arguments of one operation: its path, query and header parameters, and its body. */
export type CallInit<K extends OperationId> = {
  path?: Parameters<operations[K]> extends { path: infer P } ? P : never;
  query?: Parameters<operations[K]> extends { query?: infer Q } ? Q : never;
  headers?: Record<string, string>;
  body?: RequestBody<operations[K]>;
};
export type CallResult<K extends OperationId> = Success<operations[K]>;

export interface ListOptions {
  table: string;
  /** `{ field: { op: value } }`, e.g. `{ status: { eq: "trial" }, amount: { gt: 10 } }`. */
  filter?: Record<string, Record<string, string | number | boolean | Array<string | number>>>;
  /** `where` as a JSON tree (see the reference). */
  where?: unknown;
  /** `["amount.desc", "name"]` or `"amount.desc,name"`. */
  sort?: string | string[];
  fields?: string[];
  /** Relations to embed under `included`: link fields (`customer`) or reverse links (`orders.customer`). */
  include?: string[];
  limit?: number;
  cursor?: string;
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A record with the `ETag` of its version, for `update` and `delete` with `ifMatch`. */
export type VersionedRecord = ApiRecord & { etag?: string };
export type UpsertItem = { id?: string; values: Record<string, unknown> };
type RecordTarget = { table: string; id: string; ifMatch?: string };
type RecordsPath = keyof paths & `/v1/tables/{tableId}/${string}`;
type RecordsInit = { query?: string; body?: unknown; etag?: string };

/** The query string the records API reads: `filter[field][op]=value`, lists comma-joined. */
export function recordsQuery(options: Omit<ListOptions, "table">): string {
  const query = new URLSearchParams();
  for (const [field, conditions] of Object.entries(options.filter ?? {})) {
    for (const [op, value] of Object.entries(conditions)) {
      query.append(`filter[${field}][${op}]`, Array.isArray(value) ? value.join(",") : String(value));
    }
  }
  if (options.where !== undefined) query.set("where", JSON.stringify(options.where));
  if (options.sort !== undefined) query.set("sort", Array.isArray(options.sort) ? options.sort.join(",") : options.sort);
  if (options.fields !== undefined) query.set("fields", options.fields.join(","));
  if (options.include !== undefined && options.include.length > 0) query.set("include", options.include.join(","));
  if (options.limit !== undefined) query.set("limit", String(options.limit));
  if (options.cursor !== undefined) query.set("cursor", options.cursor);
  return query.toString();
}

/** A list request: `await` it for one page, or iterate it for every record of every page. */
export class RecordList implements PromiseLike<RecordPage>, AsyncIterable<ApiRecord> {
  constructor(
    private readonly fetchPage: (cursor: string | undefined) => Promise<RecordPage>,
    private readonly cursor: string | undefined,
  ) {}

  then<A = RecordPage, B = never>(
    onFulfilled?: ((page: RecordPage) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    return this.fetchPage(this.cursor).then(onFulfilled, onRejected);
  }

  /** Every page, following `next_cursor` until `has_more` is false. */
  async *pages(): AsyncGenerator<RecordPage> {
    let cursor = this.cursor;
    for (;;) {
      const page = await this.fetchPage(cursor);
      yield page;
      if (!page.has_more || !page.next_cursor) return;
      cursor = page.next_cursor;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ApiRecord> {
    for await (const page of this.pages()) yield* page.data;
  }
}

export function createClient(options: ClientOptions) {
  const retries = options.retries ?? 3;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  const baseFetch = options.fetch ?? globalThis.fetch;
  let token = options.token;

  // Every attempt sends the same request, idempotency key included, so a retried write is
  // answered once (a replay carries `Idempotency-Replayed: true`).
  const retrying = async (request: Request): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await baseFetch(request.clone());
      } catch (error) {
        if (attempt >= retries) throw error;
        await sleep(Math.min(maxDelay, 250 * 2 ** attempt));
        continue;
      }
      if ((response.status !== 429 && response.status !== 503) || attempt >= retries) return response;
      const after = Number(response.headers.get("retry-after"));
      await response.body?.cancel();
      await sleep(Math.min(maxDelay, Number.isFinite(after) && after > 0 ? after * 1000 : 250 * 2 ** attempt));
    }
  };
  const root = options.baseUrl.replace(/\/+$/, "");
  const api = createFetchClient<paths>({ baseUrl: root, fetch: retrying });
  api.use({
    onRequest({ request }) {
      if (token && !request.headers.has("authorization")) request.headers.set("authorization", `Bearer ${token}`);
      if (options.baseId && !request.headers.has("x-base-id")) request.headers.set("x-base-id", options.baseId);
      if (WRITE_METHODS.has(request.method) && !request.headers.has("x-idempotency-key")) {
        request.headers.set("x-idempotency-key", crypto.randomUUID());
      }
      return request;
    },
  });

  /** Calls one operation by its `operationId`; the answer's body, or an `ApiError`. */
  async function call<K extends OperationId>(id: K, init: CallInit<K> = {}): Promise<CallResult<K>> {
    const { method, path } = OPERATIONS[id];
    const { data, error, response } = await (api.request as any)(method, path, {
      params: { path: init.path, query: init.query },
      headers: init.headers,
      body: init.body,
    });
    if (!response.ok) throw toError(response, error);
    return data as CallResult<K>;
  }

  /** A records call: the query string is built here (filters have a shape of their own). */
  async function records<T>(method: string, path: RecordsPath, at: { table: string; id?: string }, init: RecordsInit = {}) {
    const { data, error, response } = await (api.request as any)(method, path, {
      params: { path: { tableId: at.table, id: at.id } },
      querySerializer: () => init.query ?? "",
      headers: init.etag ? { "if-match": init.etag } : undefined,
      body: init.body,
    });
    if (!response.ok) throw toError(response, error);
    return { data: data as T, etag: response.headers.get("etag") ?? undefined };
  }
  /** The event stream at `path`, resumed after the last event read (see `follow`). */
  function stream(path: string, streamOptions: FollowOptions) {
    const open = (last: string | undefined, signal: AbortSignal | undefined) => {
      const headers = new Headers({ accept: "text/event-stream" });
      if (token) headers.set("authorization", `Bearer ${token}`);
      if (options.baseId) headers.set("x-base-id", options.baseId);
      if (last !== undefined) headers.set("last-event-id", last);
      return baseFetch(`${root}${path}`, { headers, signal });
    };
    const refused = async (response: Response): Promise<never> => {
      throw toError(response, await response.json().catch(() => undefined));
    };
    return follow(open, refused, streamOptions);
  }
  const withEtag = ({ data, etag }: { data: ApiRecord; etag?: string }): VersionedRecord => ({ ...data, etag });
  const one = "/v1/tables/{tableId}/records/{id}";
  const all = "/v1/tables/{tableId}/records";

  return {
    /** The generated client: every path and method of the API, typed. */
    api,
    call,
    /**
     * Each state of a job as it changes (`watchJob`), from the current one to the last, after
     * which the iteration ends; a stream that ends before is resumed where it stopped.
     */
    async *jobEvents(jobId: string, streamOptions: FollowOptions = {}): AsyncGenerator<Schemas["Job"]> {
      for await (const event of stream(`/v1/jobs/${encodeURIComponent(jobId)}/events`, streamOptions)) {
        yield JSON.parse(event.data) as Schemas["Job"];
        if (event.event === "done") return;
      }
    },
    /** Uses another token from now on (e.g. the access token a sign-in returned). */
    setToken(next: string | undefined) {
      token = next;
    },
    records: {
      list(list: ListOptions): RecordList {
        const { table, cursor, ...rest } = list;
        const page = async (at: string | undefined) =>
          (await records<RecordPage>("get", all, { table }, { query: recordsQuery({ ...rest, cursor: at }) })).data;
        return new RecordList(page, cursor);
      },
      async get({ table, id, fields, include }: { table: string; id: string; fields?: string[]; include?: string[] }) {
        const query = recordsQuery({ fields, include });
        return withEtag(await records<ApiRecord>("get", one, { table, id }, { query }));
      },
      async create({ table, values, id }: { table: string; values: Record<string, unknown>; id?: string }) {
        const body = id === undefined ? { values } : { id, values };
        return withEtag(await records<ApiRecord>("post", all, { table }, { body }));
      },
      /** What creating the record would answer, without writing it: `{ valid: true }`, or the 422. */
      async validate({ table, values }: { table: string; values: Record<string, unknown> }) {
        const path = "/v1/tables/{tableId}/records:validate";
        return (await records<Schemas["Validated"]>("post", path, { table }, { body: { values } })).data;
      },
      /** With `ifMatch` (a record's `etag`), refused with 412 if the record changed since. */
      async update({ table, id, values, ifMatch }: RecordTarget & { values: Record<string, unknown> }) {
        return withEtag(await records<ApiRecord>("patch", one, { table, id }, { body: { values }, etag: ifMatch }));
      },
      async delete({ table, id, ifMatch }: RecordTarget) {
        return (await records<unknown>("delete", one, { table, id }, { etag: ifMatch })).data;
      },
      async batchUpsert({ table, items, unique }: { table: string; items: UpsertItem[]; unique?: string }) {
        const query = unique ? new URLSearchParams({ unique }).toString() : "";
        const path = "/v1/tables/{tableId}/records:batchUpsert";
        return (await records<Schemas["BatchUpsertResult"]>("post", path, { table }, { query, body: { items } })).data;
      },
      async batchDelete({ table, ids }: { table: string; ids: string[] }) {
        const path = "/v1/tables/{tableId}/records:batchDelete";
        return (await records<unknown>("post", path, { table }, { body: { ids } })).data;
      },
      /**
       * Each change of the table the filters select, as it commits (`watchRecords`): its
       * `position` is where to resume (`lastEventId`), as a list page's `position` is where
       * to start after that page; the iteration ends when `signal` aborts or the caller
       * stops. A stream that ends is resumed after the last change read.
       */
      async *events(
        list: Omit<ListOptions, "limit" | "cursor" | "sort" | "include">,
        streamOptions: FollowOptions & {
          /**
           * Counts the caller in among those following the table, and is told who is
           * there: everyone at each (re)connection (`presence`), then who comes and goes.
           */
          onPresence?: (change: PresenceChange) => void;
        } = {},
      ): AsyncGenerator<Schemas["RecordEvent"] & { position: string }> {
        const { table, ...rest } = list;
        const { onPresence, ...options } = streamOptions;
        const text = [recordsQuery(rest), onPresence ? "presence=true" : ""].filter(Boolean).join("&");
        const path = `/v1/tables/${encodeURIComponent(table)}/events${text ? `?${text}` : ""}`;
        for await (const event of stream(path, options)) {
          if (event.event === "presence") {
            onPresence?.({ type: "presence", present: (JSON.parse(event.data) as { present: Present[] }).present });
          } else if (event.event === "user:join" || event.event === "user:leave") {
            onPresence?.({ type: event.event, person: JSON.parse(event.data) as Present });
          } else {
            yield { ...(JSON.parse(event.data) as Schemas["RecordEvent"]), position: event.id ?? "" };
          }
        }
      },
      /**
       * The long-poll form of `events` (`pollRecords`), for clients that cannot hold a stream:
       * the changes after `after` (a list's `position`, or the previous answer's), as soon as
       * there are some, or none after `wait` seconds (20 unless set, at most 20). Poll again
       * from the answer's `position` to get every change once.
       */
      async poll(
        list: Omit<ListOptions, "limit" | "cursor" | "sort" | "include"> & { after?: string; wait?: number },
      ) {
        const { table, after, wait, ...rest } = list;
        const query = new URLSearchParams(recordsQuery(rest));
        if (after !== undefined) query.set("after", after);
        if (wait !== undefined) query.set("wait", String(wait));
        const path = "/v1/tables/{tableId}/events:poll";
        return (await records<Schemas["RecordChanges"]>("get", path, { table }, { query: query.toString() })).data;
      },
      /**
       * Starts a CSV export of every record the list would return (no paging): the job, whose
       * `result.download_url` `call("getJob", …)` gives once it has succeeded.
       */
      async exportCsv(list: Omit<ListOptions, "limit" | "cursor" | "include">) {
        const { table, ...rest } = list;
        const path = "/v1/tables/{tableId}/export:csv";
        return (await records<Schemas["Job"]>("get", path, { table }, { query: recordsQuery(rest) })).data;
      },
    },
  };
}

export type Client = ReturnType<typeof createClient>;

function toError(response: Response, body: unknown): ApiError {
  const error = (body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })?.error;
  const requestId = (body as { request_id?: string })?.request_id ?? response.headers.get("x-request-id") ?? undefined;
  return new ApiError(
    response.status,
    error?.code ?? "UNKNOWN",
    error?.message ?? `HTTP ${response.status}`,
    requestId,
    error?.details ?? {},
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
