import { expect, it } from "vitest";
import { hrefOf, placeOf } from "../src/places";

it("reads and writes the console's places", () => {
  expect(placeOf("")).toEqual({ screen: "home" });
  expect(placeOf("#/")).toEqual({ screen: "home" });
  expect(placeOf("#/bases/b1")).toEqual({ screen: "base", baseId: "b1", table: undefined });
  expect(placeOf("#/bases/b1/tables/order%20lines")).toEqual({ screen: "base", baseId: "b1", table: "order lines" });
  for (const place of [{ screen: "home" }, { screen: "base", baseId: "b", table: "a/b" }] as const) {
    expect(placeOf(hrefOf(place))).toEqual(place);
  }
});
