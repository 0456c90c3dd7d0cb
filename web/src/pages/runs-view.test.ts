import { describe, expect, it } from "vitest";
import { fieldsParam, nextSort, paramPaths, sortOf, viewFromQuery, viewQuery } from "./runs-view.ts";

describe("runs view in the URL", () => {
  it("round-trips through the query, leaving defaults out", () => {
    const q = new URLSearchParams(
      "experiment=e:1.0.0&filter=metrics.acc+%3E+0.5&sort=-metrics.acc&cols=status,params.lr&group=params.lr&page=3&size=100",
    );
    const v = viewFromQuery(q);
    expect(v).toEqual({
      experiment: "e:1.0.0",
      filter: "metrics.acc > 0.5",
      sort: "-metrics.acc",
      cols: ["status", "params.lr"],
      group: ["params.lr"],
      page: 3,
      size: 100,
    });
    expect(viewFromQuery(new URLSearchParams(viewQuery(v) as Record<string, string>))).toEqual(v);
    expect(viewQuery(viewFromQuery(new URLSearchParams("page=0&size=7")))).toEqual({
      experiment: undefined,
      filter: undefined,
      sort: undefined,
      cols: undefined,
      group: undefined,
      page: undefined,
      size: undefined,
    });
  });
  it("sorts descending first, then ascending; shift adds a key", () => {
    expect(nextSort("-created_at", "metrics.acc", false)).toBe("-metrics.acc");
    expect(nextSort("-metrics.acc", "metrics.acc", false)).toBe("metrics.acc");
    expect(nextSort("-metrics.acc", "params.lr", true)).toBe("-metrics.acc,-params.lr");
    expect(sortOf("-metrics.acc,params.lr", "params.lr")).toBe("asc");
    expect(sortOf("-metrics.acc", "params.lr")).toBeUndefined();
  });
  it("asks a search only for the parts its columns show", () => {
    expect(fieldsParam(["status", "params.a.b", "params.c", "metrics.acc", "derived.x"])).toBe(
      "params,metrics.acc,derived.x",
    );
    expect(paramPaths({ a: { b: 1 }, c: [1], d: null })).toEqual(["a.b", "c", "d"]);
  });
});
