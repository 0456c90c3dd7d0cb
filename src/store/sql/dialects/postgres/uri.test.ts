import { describe, expect, it } from "vitest";
import { parsePostgresUri } from "./uri.js";

describe("parsePostgresUri", () => {
  it("reads schema, pool and pipeline, and hands the other parameters to the driver", () => {
    expect(parsePostgresUri("postgres://u@db:5432/lab?schema=team&pool=20&sslmode=require")).toEqual({
      connectionString: "postgres://u@db:5432/lab?sslmode=require",
      schema: "team",
      poolSize: 20,
      pipeline: true,
      parallel: false,
      jit: false,
    });
    expect(parsePostgresUri("postgresql://u@db/lab?pipeline=off").pipeline).toBe(false);
    expect(parsePostgresUri("postgresql://u@db/lab?pipeline=on").pipeline).toBe(true);
    expect(parsePostgresUri("postgresql://u@db/lab?parallel=on&jit=on")).toMatchObject({
      connectionString: "postgresql://u@db/lab",
      parallel: true,
      jit: true,
    });
  });

  it("refuses a pipeline other than on or off, naming the field and the value", () => {
    expect(() => parsePostgresUri("postgres://u@db/lab?pipeline=yes")).toThrow(/pipeline.*on or off.*yes/);
    expect(() => parsePostgresUri("postgres://u@db/lab?parallel=2")).toThrow(/parallel.*on or off.*2/);
    expect(() => parsePostgresUri("postgres://u@db/lab?jit=yes")).toThrow(/jit.*on or off.*yes/);
  });
});
