// A table's rules and policies: record rules (a condition every record meets, optionally only
// when another holds) and field combinations no two records share; what viewers, editors and
// API tokens see and change (the rows, as a condition that may name the caller, and the fields
// they read and write); and a preview of the records as one of them sees them.

import { ApiError, type ApiRecord, type Schemas } from "@nclcdbaas/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { valueText } from "./cells";
import { compiler, type Compiler } from "./checks";
import { builtWhere, ConditionBuilder, draftOf, type Column, type Draft } from "./ConditionBuilder";
import {
  choiceOf, fieldListOf, policiesOfTable, rulesOfTable, NAME_PATTERN, operatorChoices, ruleText, rowsOf, SUBJECTS, tickedOf, variablesOf, whereOf, withChoice,
  conditionText, type ConditionRow, type PolicyInfo, type RuleInfo, type Subject, type UniqueInfo, type Variable,
  type Where,
} from "./conditions";
import { RuleBreakers } from "./Fields";
import { useChange } from "./hooks";
import { Problem } from "./Problem";
import { client } from "./session";
import { SYSTEM_COLUMNS } from "./viewSpec";

type FieldType = Schemas["FieldType"];

const SUBJECT_TITLES: Record<Subject, string> = { viewer: "Viewers", editor: "Editors", token: "API tokens" };

export function RulesPolicies({ baseId, table, changed }: { baseId: string; table: Schemas["Table"]; changed: () => Promise<unknown> }) {
  const [compiled, setCompiled] = useState<Compiler | null>(null);
  useEffect(() => void compiler().then(setCompiled, () => setCompiled(null)), []);
  const columns = [
    ...table.fields.map((field) => ({ name: field.name, type: field.type })),
    ...SYSTEM_COLUMNS,
  ];
  const path = { baseId, table: table.name };
  const putRules = async (body: Schemas["TableRules"]) => (await client()).call("setTableRules", { path, body });
  const putPolicies = async (body: Schemas["TablePolicies"]) =>
    (await client()).call("setTablePolicies", { path, body });
  return (
    <div className="rules-policies">
      <RecordRules table={table} columns={columns} compiled={compiled} put={putRules} changed={changed} />
      <Policies table={table} columns={columns} compiled={compiled} put={putPolicies} changed={changed} />
      <SeeAs baseId={baseId} table={table} />
    </div>
  );
}

interface Shared<Body> {
  table: Schemas["Table"];
  columns: readonly Column[];
  compiled: Compiler | null;
  put: (body: Body) => Promise<unknown>;
  changed: () => Promise<unknown>;
}

function RecordRules({ table, columns, compiled, put, changed }: Shared<Schemas["TableRules"]>) {
  const [rules, setRules] = useState<RuleInfo[]>(rulesOfTable(table));
  const [unique, setUnique] = useState<UniqueInfo[]>(table.unique_together);
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [newOnly, setNewOnly] = useState(false);
  const [dirty, setDirty] = useState(false);
  const save = useChange(changed);
  const fieldNames = table.fields.map((field) => field.name);

  const setBoth = (nextRules: RuleInfo[], nextUnique: UniqueInfo[]) => {
    setRules(nextRules);
    setUnique(nextUnique);
    setDirty(true);
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    void save
      .run(() =>
        put({
          rules: rules.map(({ name, if: when, then, message }) => ({ name, ...(when ? { if: when } : {}), then, ...(message ? { message } : {}) })),
          unique,
          check_existing: !newOnly,
        }),
      )
      .then((saved) => saved && setDirty(false));
  }

  return (
    <section className="panel" aria-label="Record rules">
      <h3>Record rules</h3>
      <p className="hint">Every record saved must meet these rules; a write that breaks one is refused with its message.</p>
      <table className="list">
        <thead>
          <tr><th>Name</th><th>Rule</th><th>Message</th><th><span className="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody data-testid="record-rules">
          {rules.map((rule, index) =>
            editing === index ? (
              <tr key={rule.name}>
                <td colSpan={4}>
                  <RuleForm
                    rule={rule}
                    columns={columns}
                    compiled={compiled}
                    onCancel={() => setEditing(null)}
                    onDone={(changed) => {
                      setBoth(rules.map((old, at) => (at === index ? changed : old)), unique);
                      setEditing(null);
                    }}
                  />
                </td>
              </tr>
            ) : (
              <tr key={rule.name}>
                <th scope="row">{rule.name}</th>
                <td>{ruleText(rule)}</td>
                <td>{rule.message}</td>
                <td className="actions">
                  <button type="button" aria-label={`Edit rule ${rule.name}`} onClick={() => setEditing(index)}>Edit</button>
                  <button type="button" aria-label={`Remove rule ${rule.name}`} onClick={() => setBoth(rules.filter((_, at) => at !== index), unique)}>
                    Remove
                  </button>
                </td>
              </tr>
            ),
          )}
          {rules.length === 0 && <tr><td colSpan={4}>No record rules.</td></tr>}
        </tbody>
      </table>
      {editing === "new" ? (
        <RuleForm
          columns={columns}
          compiled={compiled}
          onCancel={() => setEditing(null)}
          onDone={(rule) => {
            setBoth([...rules, rule], unique);
            setEditing(null);
          }}
        />
      ) : (
        <button type="button" onClick={() => setEditing("new")}>Add rule</button>
      )}

      <h4>Unique together</h4>
      <p className="hint">No two records may share the values of all these fields.</p>
      <ul data-testid="unique-together">
        {unique.map((set, index) => (
          <li key={set.name}>
            <strong>{set.name}</strong>: {set.fields.join(" + ")}{" "}
            <button type="button" aria-label={`Remove unique set ${set.name}`} onClick={() => setBoth(rules, unique.filter((_, at) => at !== index))}>
              Remove
            </button>
          </li>
        ))}
        {unique.length === 0 && <li>None.</li>}
      </ul>
      <UniqueForm fields={fieldNames} onAdd={(set) => setBoth(rules, [...unique, set])} />

      <form className="inline" aria-label="Save rules" onSubmit={submit}>
        <label>
          <input type="checkbox" checked={newOnly} onChange={(event) => setNewOnly(event.target.checked)} /> For new records only
        </label>
        <button type="submit" className="primary" disabled={save.busy}>Save rules</button>
        {dirty && <span className="hint">Unsaved changes</span>}
      </form>
      <Problem error={save.error} />
      <RuleBreakers error={save.error} advice="Fix them in the grid, or tick “For new records only”." />
      {save.error instanceof ApiError && save.error.details.reason === "duplicate_values" && (
        <p className="hint">Existing records share these values: remove the duplicates first, or leave the set out.</p>
      )}
    </section>
  );
}

function RuleForm({ rule, columns, compiled, onDone, onCancel }: {
  rule?: RuleInfo;
  columns: readonly Column[];
  compiled: Compiler | null;
  onDone: (rule: RuleInfo) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(rule?.name ?? "");
  const [when, setWhen] = useState<Draft | null>(rule?.if ? draftOf(rule.if) : null);
  const [then, setThen] = useState<Draft>(draftOf(rule?.then));
  const [message, setMessage] = useState(rule?.message ?? "");
  const thenWhere = builtWhere(then, columns);
  const label = rule ? `Edit rule ${rule.name}` : "New rule";

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!thenWhere) return;
    const ifWhere = when && builtWhere(when, columns);
    onDone({ name, ...(ifWhere ? { if: ifWhere } : {}), then: thenWhere, message });
  }

  return (
    <form className="stacked" aria-label={label} onSubmit={submit}>
      <label>
        Name <input name="name" required pattern={NAME_PATTERN} value={name} onChange={(event) => setName(event.target.value)} placeholder="paid_needs_invoice" />
      </label>
      <label>
        <input type="checkbox" checked={when !== null} onChange={(event) => setWhen(event.target.checked ? { rows: [] } : null)} /> Only when…
      </label>
      {when && <ConditionBuilder legend="If" draft={when} setDraft={setWhen} columns={columns} compiled={compiled} />}
      <ConditionBuilder legend="Then" draft={then} setDraft={setThen} columns={columns} compiled={compiled} />
      <label>
        Message <input name="message" value={message} onChange={(event) => setMessage(event.target.value)} placeholder="shown when a write breaks the rule" size={50} />
      </label>
      <div className="actions">
        <button type="submit" disabled={!thenWhere}>{rule ? "Update rule" : "Add to rules"}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

function UniqueForm({ fields, onAdd }: { fields: string[]; onAdd: (set: UniqueInfo) => void }) {
  const [picked, setPicked] = useState<string[]>([]);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    onAdd({ name: String(new FormData(form).get("name")), fields: picked });
    form.reset();
    setPicked([]);
  }
  return (
    <form className="inline" aria-label="New unique set" onSubmit={submit}>
      <label>
        Name <input name="name" required pattern={NAME_PATTERN} placeholder="one_code_per_region" />
      </label>
      <fieldset className="compact">
        <legend>Fields</legend>
        {fields.map((field) => (
          <label key={field}>
            <input
              type="checkbox"
              checked={picked.includes(field)}
              onChange={(event) => setPicked(event.target.checked ? [...picked, field] : picked.filter((name) => name !== field))}
            />{" "}
            {field}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={picked.length < 2 || picked.length > 8}>Add unique set</button>
    </form>
  );
}

/** A subject's policy as edited: its rows, and the fields it reads and writes (ticked). */
interface PolicyDraft {
  rows: Draft;
  read: string[];
  write: string[];
}

function Policies({ table, columns, compiled, put, changed }: Shared<Schemas["TablePolicies"]>) {
  const fieldNames = table.fields.map((field) => field.name);
  const [drafts, setDrafts] = useState<Record<Subject, PolicyDraft | null>>(() =>
    Object.fromEntries(SUBJECTS.map((subject) => {
      const policy = policiesOfTable(table).find((candidate) => candidate.subject === subject);
      const draft = policy && { rows: draftOf(policy.rows), read: tickedOf(policy.read, fieldNames), write: tickedOf(policy.write, fieldNames) };
      return [subject, draft ?? null];
    })) as Record<Subject, PolicyDraft | null>,
  );
  const save = useChange(changed);
  const set = (subject: Subject, draft: PolicyDraft | null) => setDrafts({ ...drafts, [subject]: draft });

  function submit(event: FormEvent) {
    event.preventDefault();
    const policies: PolicyInfo[] = SUBJECTS.flatMap((subject) => {
      const draft = drafts[subject];
      if (!draft) return [];
      const rows = builtWhere(draft.rows, columns);
      const read = fieldListOf(draft.read, fieldNames);
      const write = subject === "viewer" ? null : fieldListOf(draft.write, fieldNames);
      return [{ subject, ...(rows ? { rows } : {}), ...(read ? { read } : {}), ...(write ? { write } : {}) }];
    });
    void save.run(() => put({ policies }));
  }

  return (
    <section className="panel" aria-label="Policies">
      <h3>Policies</h3>
      <p className="hint">What viewers, editors and API tokens may see and change in this table. Admins and owners are never restricted.</p>
      <form aria-label="Policies" onSubmit={submit}>
        {SUBJECTS.map((subject) => {
          const draft = drafts[subject];
          const title = SUBJECT_TITLES[subject];
          const tick = (list: "read" | "write", field: string, on: boolean) =>
            draft && set(subject, { ...draft, [list]: on ? [...draft[list], field] : draft[list].filter((name) => name !== field) });
          return (
            <fieldset key={subject}>
              <legend>{title}</legend>
              <label>
                <input
                  type="checkbox"
                  checked={draft !== null}
                  onChange={(event) => set(subject, event.target.checked ? { rows: { rows: [] }, read: [...fieldNames], write: [...fieldNames] } : null)}
                />{" "}
                Restrict {subject === "token" ? title : title.toLowerCase()}
              </label>
              {draft && (
                <>
                  <ConditionBuilder
                    legend="Rows they see"
                    draft={draft.rows}
                    setDraft={(rows) => set(subject, { ...draft, rows })}
                    columns={columns}
                    compiled={compiled}
                    variables={variablesOf(subject)}
                  />
                  <table className="list">
                    <thead>
                      <tr><th>Field</th><th>Can read</th>{subject !== "viewer" && <th>Can write</th>}</tr>
                    </thead>
                    <tbody>
                      {fieldNames.map((field) => (
                        <tr key={field}>
                          <th scope="row">{field}</th>
                          <td>
                            <input type="checkbox" aria-label={`${title} can read ${field}`} checked={draft.read.includes(field)} onChange={(event) => tick("read", field, event.target.checked)} />
                          </td>
                          {subject !== "viewer" && (
                            <td>
                              <input type="checkbox" aria-label={`${title} can write ${field}`} checked={draft.write.includes(field)} onChange={(event) => tick("write", field, event.target.checked)} />
                            </td>
                          )}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
            </fieldset>
          );
        })}
        <button type="submit" className="primary" disabled={save.busy}>Save policies</button>
      </form>
      <Problem error={save.error} />
    </section>
  );
}

/** The records as a restricted subject sees them, by its saved policy. */
function SeeAs({ baseId, table }: { baseId: string; table: Schemas["Table"] }) {
  const [subject, setSubject] = useState<Subject>("viewer");
  const [who, setWho] = useState("");
  const [page, setPage] = useState<Schemas["RecordList"] | null>(null);
  const preview = useChange();

  function submit(event: FormEvent) {
    event.preventDefault();
    const headers: Record<string, string> = { "x-see-as": subject };
    if (who) headers[subject === "token" ? "x-see-as-token" : "x-see-as-email"] = who;
    void preview.run(async () => {
      const records = await client(baseId);
      setPage(await records.call("listRecords", { path: { tableId: table.name }, query: { limit: 20 }, headers }));
    });
  }

  const rows: ApiRecord[] = page?.data ?? [];
  const fields = [...new Set(rows.flatMap((row) => Object.keys(row.values ?? {})))];
  return (
    <section className="panel" aria-label="See as">
      <h3>See as</h3>
      <p className="hint">The records as someone restricted by the saved policies sees them.</p>
      <form className="inline" aria-label="See as" onSubmit={submit}>
        <label>
          Subject{" "}
          <select value={subject} onChange={(event) => { setSubject(event.target.value as Subject); setWho(""); }}>
            <option value="viewer">a viewer</option>
            <option value="editor">an editor</option>
            <option value="token">an API token</option>
          </select>
        </label>
        <label>
          {subject === "token" ? "Token name" : "Member email"}{" "}
          <input value={who} onChange={(event) => setWho(event.target.value)} placeholder={subject === "token" ? "token name" : "you, unless set"} />
        </label>
        <button type="submit" disabled={preview.busy}>Preview</button>
      </form>
      <Problem error={preview.error} />
      {page && (
        <>
          <p className="hint" data-testid="see-as-count">
            {rows.length} {rows.length === 1 ? "record" : "records"}{page.has_more ? " (more not shown)" : ""}
          </p>
          <table className="list" data-testid="see-as">
            <thead>
              <tr><th>id</th>{fields.map((field) => <th key={field}>{field}</th>)}</tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td><code>{row.id}</code></td>
                  {fields.map((field) => <td key={field}>{valueText(row.values[field])}</td>)}
                </tr>
              ))}
              {rows.length === 0 && <tr><td colSpan={fields.length + 1}>No records.</td></tr>}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
