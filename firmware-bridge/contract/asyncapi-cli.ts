import { writeFileSync } from 'node:fs';
import { ASYNCAPI_PATH, renderAsyncApiYaml } from './asyncapi.ts';

/** Writes schema/asyncapi.yaml from the zod contract (run from the repository root). */
writeFileSync(ASYNCAPI_PATH, renderAsyncApiYaml());
process.stdout.write(`wrote ${ASYNCAPI_PATH}\n`);
