import type { Logger } from 'pino';
import type { Engine } from '../core/ports/engine.js';
import type { BotSettings } from './bot-settings.js';
import type { GuildRepository } from './repositories/guild-repository.js';
import type { BackfillService } from './services/backfill-service.js';
import type { IndexingService } from './services/indexing-service.js';
import type { SearchService } from './services/search-service.js';

/** Whether new images can be indexed, and if not, why (shown by /mirage-admin status). */
export interface IndexingStatus {
  enabled: boolean;
  reason?: string;
}

/** What every command, control and event handler works with. */
export interface BotContext {
  readonly engine: Engine;
  readonly settings: BotSettings;
  readonly guilds: GuildRepository;
  readonly search: SearchService;
  readonly indexing: IndexingService;
  readonly backfills: BackfillService;
  readonly indexingStatus: IndexingStatus;
  readonly log: Logger;
}
