import { expect, it } from "vitest";
import { applyPresence, initials } from "../src/presence";

const ada = { actor: "user:a", name: "Ada Lovelace", since: "1" };
const bob = { actor: "user:b", name: "bob", since: "2" };

it("keeps who is there from a stream's presence frames", () => {
  let people = applyPresence([], { type: "presence", present: [ada] });
  people = applyPresence(people, { type: "user:join", person: bob });
  expect(applyPresence(people, { type: "user:join", person: bob })).toEqual([ada, bob]);
  expect(applyPresence(people, { type: "user:leave", person: ada })).toEqual([bob]);
  expect(applyPresence(people, { type: "presence", present: [] })).toEqual([]);
});

it("draws initials", () => {
  expect([initials("Ada Lovelace"), initials("bob"), initials(null), initials("  ")]).toEqual(["AL", "B", "?", "?"]);
});
