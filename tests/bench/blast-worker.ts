// `pnpm bench` (blast radius): plans the base environment and each standard change in this process and prints, as
// JSON, the resources each change touches beside the minimum it needs (tests/support/blast-radius.ts).
import { STANDARD_CHANGES, measureChange } from "../support/blast-radius";

async function main(): Promise<void> {
  const rows = [];
  for (const change of STANDARD_CHANGES) {
    const m = await measureChange(change);
    const count = (a: string) => m.changes.filter((c) => c.custom && c.action === a).length;
    rows.push({
      change: m.change,
      create: count("create"),
      update: count("update"),
      replace: count("replace"),
      delete: count("delete"),
      touched: m.touched.length,
      minimum: m.minimum.length,
      excess: m.excess,
      missing: m.missing,
      deletingFirst: m.deletingFirst,
      unchanged: count("same"),
    });
  }
  process.stdout.write(JSON.stringify(rows));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
