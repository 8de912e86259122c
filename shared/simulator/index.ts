export { loadDefaultSeed } from './default-seed.js';
export type { FaultSpec } from './faults.js';
export { generateConfiguration, LARGE_PROPERTY_SIZE } from './large-property.js';
export type { EnterpriseSpec, SeedFile } from './simulator-specs.js';
export { SimulatorInputError } from './simulator-specs.js';
export type { MewsSimulator } from './start-simulator.js';
export { startMewsSimulator } from './start-simulator.js';
