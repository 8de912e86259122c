import { App } from 'aws-cdk-lib';
import { StageConfigError } from './config/stages.js';
import { configureApp } from './configure-app.js';

try {
  configureApp(new App());
} catch (error) {
  // A configuration mistake needs its message, not a stack trace.
  if (!(error instanceof StageConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
