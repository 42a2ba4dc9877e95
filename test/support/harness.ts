/**
 * The integration tests' entry point: the rig (./rig.ts) with its defaults, and the world's fixed
 * parts (./world.ts). Tests call `startHarness()` and drive it through `send`/`settle`.
 */
import { startRig, type Rig, type RigOptions } from './rig';

export * from './world';
export type Harness = Rig;

export const startHarness = (opts: RigOptions = {}): Promise<Harness> => startRig({ logLevel: 'debug', ...opts });
