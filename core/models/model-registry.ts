import { notSupported } from '../errors.js';
import type { ModelBundle, ModelCatalog } from '../ports/model-bundle.js';

export type BundleFactory = () => Promise<ModelBundle>;

/**
 * Serves model bundles by embedder id. Bundles are built on first use and kept, because loading
 * a model (an ONNX session, say) is expensive and every round of every session reuses it.
 */
export class ModelRegistry implements ModelCatalog {
  private readonly factories = new Map<string, BundleFactory>();
  private readonly loaded = new Map<string, Promise<ModelBundle>>();

  register(embedderId: string, factory: BundleFactory): this {
    this.factories.set(embedderId, factory);
    return this;
  }

  ids(): string[] {
    return [...this.factories.keys()].sort();
  }

  bundleFor(embedderId: string): Promise<ModelBundle> {
    let bundle = this.loaded.get(embedderId);
    if (!bundle) {
      const factory = this.factories.get(embedderId);
      if (!factory) {
        return Promise.reject(
          notSupported(`No models are configured for embedder "${embedderId}" (known: ${this.ids().join(', ') || 'none'}).`),
        );
      }
      bundle = factory();
      this.loaded.set(embedderId, bundle);
      bundle.catch(() => this.loaded.delete(embedderId));
    }
    return bundle;
  }
}
