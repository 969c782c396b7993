/**
 * The closed vocabulary of the Scenes world. Sampler, renderer, parser, captions and the
 * simulated searcher all speak exactly these words, so a value never gets lost in translation.
 */
export const TIMES = ['day', 'sunset', 'night', 'dawn'] as const;
export const GROUNDS = ['grass', 'sand', 'water', 'snow', 'road'] as const;
export const WEATHERS = ['clear', 'cloudy', 'rainy', 'foggy', 'snowy'] as const;

export const OBJECT_KINDS = [
  'house',
  'tree',
  'car',
  'boat',
  'person',
  'dog',
  'cat',
  'sun',
  'moon',
  'cloud',
  'balloon',
  'flower',
  'bicycle',
  'bird',
  'kite',
  'tent',
] as const;

export const COLOURS = [
  'red',
  'orange',
  'yellow',
  'green',
  'blue',
  'purple',
  'pink',
  'brown',
  'black',
  'white',
  'grey',
] as const;

export const SIZES = ['small', 'medium', 'large'] as const;

/** 3x3 grid, row-major: rows top / middle / bottom, columns left / centre / right. */
export const POSITIONS = [
  'top-left',
  'top',
  'top-right',
  'left',
  'center',
  'right',
  'bottom-left',
  'bottom',
  'bottom-right',
] as const;

export const MAX_COUNT = 3;
export const MAX_OBJECTS = 4;

/** Kind-specific attributes and their allowed values; the first value is the most common. */
export const KIND_ATTRIBUTES: { readonly [K in ObjectKind]: { readonly [attr: string]: readonly string[] } } = {
  house: { roof: ['pointed', 'flat'], windows: ['dark', 'lit'] },
  tree: { shape: ['round', 'pine', 'palm'] },
  car: { body: ['sedan', 'truck', 'van'] },
  boat: { propulsion: ['sail', 'motor'] },
  person: { hat: ['no hat', 'hat'], pose: ['standing', 'waving'] },
  dog: { pattern: ['plain', 'spotted'] },
  cat: { pattern: ['plain', 'striped'] },
  sun: { rays: ['rays', 'no rays'] },
  moon: { phase: ['full', 'crescent'] },
  cloud: { shade: ['light', 'dark'] },
  balloon: { string: ['string', 'no string'] },
  flower: { petals: ['round', 'pointed'] },
  bicycle: { basket: ['no basket', 'basket'] },
  bird: { wings: ['spread', 'folded'] },
  kite: { tail: ['tail', 'no tail'] },
  tent: { door: ['closed', 'open'] },
};

export type TimeOfDay = (typeof TIMES)[number];
export type Ground = (typeof GROUNDS)[number];
export type Weather = (typeof WEATHERS)[number];
export type ObjectKind = (typeof OBJECT_KINDS)[number];
export type Colour = (typeof COLOURS)[number];
export type Size = (typeof SIZES)[number];
export type Position = (typeof POSITIONS)[number];
