import { type CompiledQuery, type Kysely, sql } from "kysely";
import type { Database } from "../../schema.js";
import type { WriteTx } from "../../write-tx.js";

/**
 * Params SQLite flattens exactly as `flattenParams` does: no tagged value (no `"$`), no array
 * (`flattenParams` keeps an array whole, as canonical JSON), and keys that need no quoting in a
 * JSON path (the leaf's path is then the JSON path less its `$.`).
 */
const PLAIN = sql`(instr(r.params, '"$') = 0 and instr(r.params, '[') = 0 and not exists (select 1 from json_tree(r.params) as q where instr(q.fullkey, '"') > 0))`;

/** SQLite's JSON types as labbook's leaf types, numbers and texts. */
const LEAF_TYPE = sql`case j.type when 'integer' then 'number' when 'real' then 'number' when 'text' then 'string' when 'true' then 'boolean' when 'false' then 'boolean' else 'null' end`;
const LEAF_NUM = sql`case j.type when 'integer' then j.value when 'real' then j.value when 'true' then 1 when 'false' then 0 end`;
const LEAF_TEXT = sql`case j.type when 'text' then j.value end`;

/**
 * The param leaves of runs written by SQLite itself from the JSON of their params (`json_tree`),
 * about a quarter of the work of flattening them in JS and binding every value: for the runs
 * keyed in (from, to] whose params are plain (see {@link PLAIN}); the others are returned, for the
 * store to flatten (`appendParamLeaves`). Numbers come out of SQLite's JSON parser as the same
 * doubles as `JSON.parse` gives (checked on generated params in param-leaves.test.ts).
 *
 * @example
 * const rest = await leaves(tx, 100, 2100); // [{ id: 117, params: '{"a":[1,2]}' }]
 */
export function sqliteParamLeaves(
  db: Kysely<Database>,
): (tx: WriteTx, from: number, to: number) => Promise<{ id: number; params: string }[]> {
  const compiled = new Map<string, CompiledQuery>();
  const once = (key: string, build: () => CompiledQuery) => {
    let q = compiled.get(key);
    if (!q) {
      q = build();
      compiled.set(key, q);
    }
    return q;
  };
  return async (tx, from, to) => {
    const insert = once("insert", () =>
      sql`insert into run_params (run_pk, path, type, num, text) select r.id, substr(j.fullkey, 3), ${LEAF_TYPE}, ${LEAF_NUM}, ${LEAF_TEXT} from runs as r, json_tree(r.params) as j where r.id > ${0} and r.id <= ${0} and ${PLAIN} and j.type not in ('object', 'array') on conflict do nothing`.compile(
        db,
      ),
    );
    await tx.query({ ...insert, parameters: [from, to] });
    const rest = once("rest", () =>
      sql`select r.id as id, r.params as params from runs as r where r.id > ${0} and r.id <= ${0} and not ${PLAIN}`.compile(
        db,
      ),
    );
    return tx.query<{ id: number; params: string }>({ ...rest, parameters: [from, to] });
  };
}
