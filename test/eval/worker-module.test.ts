import { describe, expect, it } from 'vitest';
import { workerModule } from '../../core/concurrency/worker-module.js';

describe('workerModule', () => {
  it('names the built sibling file for compiled code', () => {
    expect(workerModule('file:///opt/mirage/dist/core/runtime/episode-threads.js', 'episode-worker')).toBe('/opt/mirage/dist/core/runtime/episode-worker.js');
  });

  it('starts TypeScript sources from a module that registers tsx in the worker, then loads the sibling .ts', () => {
    const sibling = 'file:///src/mirage/core/scenes/world-workers.ts';
    const filename = workerModule(sibling, 'world-worker');
    expect(filename.startsWith('data:text/javascript,')).toBe(true);
    const source = decodeURIComponent(filename.slice('data:text/javascript,'.length));
    expect(source).toContain(`register('tsx/esm', "${sibling}", { data: {} });`);
    expect(source).toContain('await import("file:///src/mirage/core/scenes/world-worker.ts")');
    // Registration comes before the import it serves.
    expect(source.indexOf('register(')).toBeLessThan(source.indexOf('await import('));
  });
});
