/**
 * zod's tree-shakable build, with the English messages zod's classic build loads by default, for
 * every schema that runs in a Lambda function: a bundle keeps only the parts its schemas use.
 * Import it as `import * as z from '.../shared/lib/zod-mini.js'`.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
