// A pool worker's entry, in plain JavaScript: a worker thread starts without the CLI's
// TypeScript loader, so it registers tsx before it imports the trial runner.
import { register } from 'tsx/esm/api';

register();
const { runTrialTaskOnPool } = await import('./worker.ts');
export default runTrialTaskOnPool;
