import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { axiosSnippet, curl, fetchSnippet, postmanCollection, type Call } from "../src/snippets";

const call: Call = {
  url: "https://api.example.org/public/views/open-orders/data?customer=O'Brien&limit=2",
  headers: [["Authorization", "Bearer vk_it's \"quoted\""]],
};

it("writes a curl that the shell reads back word for word", () => {
  const text = curl(call);
  // The shell's own reading of the words: printf prints each argument on a line.
  const words = execFileSync("sh", ["-c", text.replace(/^curl -sS/, "printf '%s\\n'")]).toString().trimEnd().split("\n");
  expect(words).toEqual([call.url, "-H", "Authorization: Bearer vk_it's \"quoted\""]);
  expect(curl({ url: "https://x.example/p", headers: [] })).toBe("curl -sS 'https://x.example/p'");
});

it("writes fetch and Axios calls whose strings are exact JavaScript literals", () => {
  for (const snippet of [fetchSnippet(call), axiosSnippet(call)]) {
    expect(snippet).toContain(JSON.stringify(call.url));
    expect(snippet).toContain(`"Authorization": ${JSON.stringify(call.headers[0][1])}`);
  }
  expect(fetchSnippet({ ...call, headers: [] })).toContain("headers: {},");
});

it("writes a Postman collection with the request's URL parts and headers", () => {
  const collection = JSON.parse(postmanCollection("Open orders", call));
  const request = collection.item[0].request;
  expect(request.url.raw).toBe(call.url);
  expect(request.url.path).toEqual(["public", "views", "open-orders", "data"]);
  expect(request.url.query).toEqual([{ key: "customer", value: "O'Brien" }, { key: "limit", value: "2" }]);
  expect(request.header).toEqual([{ key: "Authorization", value: call.headers[0][1] }]);
});
