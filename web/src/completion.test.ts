import { describe, expect, it } from "vitest";
import { complete, fieldText } from "./completion.ts";

const fields = [
  { field: "status", values: ["failed", "running", "success"] },
  { field: "params.model", values: ["a", "b"] },
  { field: "params.lr", values: [0.01, 0.1] },
  { field: "metrics.acc" },
  { field: "metrics.my metric" },
];
const labels = (text: string, cursor = text.length) =>
  complete(text, cursor, fields).items.map((i) => i.label);

describe("filter completion", () => {
  it("completes field paths from the word under the cursor", () => {
    expect(labels("par")).toEqual(["params.model", "params.lr"]);
    expect(labels("metrics.a")).toEqual(["metrics.acc"]);
    expect(labels("metrics.acc > 0.5 and params.m")).toEqual(["params.model"]);
    expect(complete("metrics.acc > 1 and par", 23, fields)).toMatchObject({ from: 20, to: 23 });
  });
  it("offers operators after a field and values after an operator", () => {
    expect(labels("params.model ")).toContain("=");
    expect(labels("params.model = ")).toEqual(['"a"', '"b"']);
    expect(labels('params.model = "b')).toEqual(['"b"']);
    expect(complete('params.model = "b', 17, fields)).toMatchObject({ from: 15 });
    expect(labels("params.lr > ")).toEqual(["0.01", "0.1"]);
    expect(labels("status in (")).toEqual(['"failed"', '"running"', '"success"']);
    expect(labels('status not in ("failed", ')).toEqual(['"failed"', '"running"', '"success"']);
  });
  it("offers and/or after a complete condition", () => {
    expect(labels('params.model = "a" ')).toEqual(["and", "or"]);
  });
  it("quotes paths with other characters", () => {
    expect(fieldText("metrics.my metric")).toBe("metrics.`my metric`");
    expect(labels("metrics.my")).toEqual(["metrics.`my metric`"]);
  });
});
