// `corepack pnpm rules:doc`: writes packages/rules/RULES.md from the catalogue.
import * as fs from "node:fs";
import * as path from "node:path";
import { catalogueMarkdown } from "../src/catalogue/document";

fs.writeFileSync(path.join(__dirname, "..", "RULES.md"), catalogueMarkdown());
console.log("wrote packages/rules/RULES.md");
