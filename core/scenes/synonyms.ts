/**
 * The lexicon of the Scenes parser: every word or fixed phrase a description may use, mapped to
 * what it means in the closed vocabulary. Keys are lower-case words separated by single spaces
 * (hyphens and apostrophes are removed by the tokenizer, so "top-left" is "top left" and "isn't"
 * is "isnt"). The parser matches the longest phrase first, so "pine tree" beats "pine" + "tree"
 * and "no one" beats "no".
 */
import type { Colour, Ground, ObjectKind, Size, TimeOfDay, Weather } from './vocabulary.js';

/** One reading of an attribute word: "round" is a tree shape or a flower's petals. */
export interface AttributeChoice {
  readonly kind: ObjectKind;
  readonly attribute: string;
  readonly value: string;
}

export type Meaning =
  | {
      readonly type: 'object';
      readonly kind: ObjectKind;
      readonly plural: boolean;
      /** What the noun itself says ("sedan" is a car whose body is sedan). */
      readonly attributes: Readonly<Record<string, string>>;
      /** "someone" is one person. */
      readonly count?: number;
      /** "nobody" says there is no person. */
      readonly absent?: boolean;
    }
  /** `after`: "in red" follows its noun ("a person in red"). */
  | { readonly type: 'colour'; readonly colour: Colour; readonly after: boolean }
  | { readonly type: 'size'; readonly size: Size }
  /**
   * `next`: an adjective for the noun that follows ("spotted dog"); `previous`: a feature of an
   * object already named ("with a pointed roof", "wearing a hat").
   */
  | { readonly type: 'attribute'; readonly choices: readonly AttributeChoice[]; readonly binds: 'next' | 'previous' }
  | { readonly type: 'count'; readonly count: number }
  /** "a"/"an" say one (unless the noun is plural); "the" refers to something already named. */
  | { readonly type: 'determiner'; readonly definite: boolean; readonly one: boolean }
  | { readonly type: 'negation' }
  /** "or"/"nor": continues a negated list ("no clouds or birds"). */
  | { readonly type: 'alternative' }
  | { readonly type: 'conjunction' }
  /** "is"/"are": what follows describes the object just named ("the car is red"). */
  | { readonly type: 'copula' }
  | { readonly type: 'preposition' }
  /** A relation whose words would otherwise read as something else ("on top of"). */
  | { readonly type: 'relation' }
  | { readonly type: 'time'; readonly time: TimeOfDay }
  | { readonly type: 'ground'; readonly ground: Ground }
  | { readonly type: 'weather'; readonly weather: Weather }
  /** One word of a grid position; consecutive ones combine ("top" + "left"). Neither axis: centre. */
  | { readonly type: 'position'; readonly vertical?: 'top' | 'bottom'; readonly horizontal?: 'left' | 'right' }
  /** Words that may sit inside a position phrase without meaning anything ("left-hand corner"). */
  | { readonly type: 'positionFiller' };

const lexicon = new Map<string, Meaning>();

const PHRASE = /^[a-z0-9]+( [a-z0-9]+)*$/;

function define(phrases: readonly string[], meaning: Meaning): void {
  for (const phrase of phrases) {
    // A silent redefinition would make one reading unreachable; fail at load time instead.
    if (!PHRASE.test(phrase)) throw new Error(`Lexicon phrase "${phrase}" is not normalised`);
    if (lexicon.has(phrase)) throw new Error(`Lexicon phrase "${phrase}" is defined twice`);
    lexicon.set(phrase, meaning);
  }
}

/** Singular/plural pairs, written "dog/dogs puppy/puppies" (multi-word phrases use "_"). */
function nouns(
  kind: ObjectKind,
  forms: string,
  attributes: Readonly<Record<string, string>> = {},
): void {
  for (const pair of forms.split(' ')) {
    const [singular, plural] = pair.split('/').map((w) => w.replaceAll('_', ' '));
    if (singular) define([singular], { type: 'object', kind, plural: false, attributes });
    if (plural) define([plural], { type: 'object', kind, plural: true, attributes });
  }
}

const words = (text: string): string[] => text.split('|');

// --- Objects -------------------------------------------------------------------------------
nouns('house', 'house/houses home/homes cottage/cottages cabin/cabins hut/huts building/buildings villa/villas bungalow/bungalows farmhouse/farmhouses');
nouns('tree', 'tree/trees oak/oaks oak_tree/oak_trees maple/maples birch/birches');
nouns('tree', 'pine/pines pine_tree/pine_trees fir/firs fir_tree/fir_trees spruce/spruces conifer/conifers evergreen/evergreens christmas_tree/christmas_trees', { shape: 'pine' });
nouns('tree', 'palm/palms palm_tree/palm_trees coconut_tree/coconut_trees', { shape: 'palm' });
nouns('car', 'car/cars automobile/automobiles auto/autos vehicle/vehicles taxi/taxis cab/cabs jeep/jeeps suv/suvs');
nouns('car', 'sedan/sedans sedan_car/sedan_cars saloon/saloons saloon_car/saloon_cars', { body: 'sedan' });
nouns('car', 'truck/trucks lorry/lorries pickup/pickups pickup_truck/pickup_trucks', { body: 'truck' });
nouns('car', 'van/vans minivan/minivans camper_van/camper_vans', { body: 'van' });
nouns('boat', 'boat/boats ship/ships canoe/canoes rowboat/rowboats ferry/ferries vessel/vessels');
nouns('boat', 'sailboat/sailboats sail_boat/sail_boats sailing_boat/sailing_boats sailing_ship/sailing_ships yacht/yachts sailing_yacht/sailing_yachts', { propulsion: 'sail' });
nouns('boat', 'motorboat/motorboats motor_boat/motor_boats speedboat/speedboats speed_boat/speed_boats powerboat/powerboats power_boat/power_boats', { propulsion: 'motor' });
nouns('person', 'person/people /persons man/men woman/women kid/kids child/children boy/boys girl/girls guy/guys lady/ladies gentleman/gentlemen human/humans adult/adults pedestrian/pedestrians toddler/toddlers hiker/hikers tourist/tourists walker/walkers anyone anybody');
define(words('someone|somebody'), { type: 'object', kind: 'person', plural: false, attributes: {}, count: 1 });
define(words('nobody|no one|noone'), { type: 'object', kind: 'person', plural: false, attributes: {}, absent: true });
nouns('dog', 'dog/dogs puppy/puppies pup/pups doggy/doggies doggie/ hound/hounds');
nouns('dog', 'dalmatian/dalmatians', { pattern: 'spotted' });
nouns('cat', 'cat/cats kitten/kittens kitty/kitties');
nouns('cat', 'tabby/tabbies tabby_cat/tabby_cats', { pattern: 'striped' });
nouns('sun', 'sun/suns');
nouns('moon', 'moon/moons');
nouns('moon', 'crescent_moon/crescent_moons half_moon/half_moons', { phase: 'crescent' });
nouns('cloud', 'cloud/clouds');
nouns('balloon', 'balloon/balloons hot_air_balloon/hot_air_balloons air_balloon/air_balloons');
nouns('flower', 'flower/flowers blossom/blossoms bloom/blooms tulip/tulips daisy/daisies sunflower/sunflowers poppy/poppies');
nouns('bicycle', 'bicycle/bicycles bike/bikes cycle/cycles push_bike/push_bikes pushbike/pushbikes');
nouns('bird', 'bird/birds seagull/seagulls gull/gulls pigeon/pigeons sparrow/sparrows crow/crows duck/ducks robin/robins swallow/swallows');
nouns('kite', 'kite/kites');
nouns('tent', 'tent/tents');

// --- Kind-specific attributes ------------------------------------------------------------------
const choice = (kind: ObjectKind, attribute: string, value: string): AttributeChoice => ({ kind, attribute, value });
const adjective = (phrases: string, ...choices: AttributeChoice[]) =>
  define(words(phrases), { type: 'attribute', choices, binds: 'next' });
const feature = (phrases: string, ...choices: AttributeChoice[]) =>
  define(words(phrases), { type: 'attribute', choices, binds: 'previous' });

adjective('pointed|peaked|gabled', choice('house', 'roof', 'pointed'), choice('flower', 'petals', 'pointed'));
adjective('flat roofed|flat topped', choice('house', 'roof', 'flat'));
feature('pointed roof|pointed roofs|peaked roof|peaked roofs|gabled roof|gabled roofs|sloped roof|sloped roofs|sloping roof|sloping roofs|triangular roof|triangular roofs|pitched roof|pitched roofs', choice('house', 'roof', 'pointed'));
feature('flat roof|flat roofs', choice('house', 'roof', 'flat'));
adjective('lit|lit up|illuminated', choice('house', 'windows', 'lit'));
adjective('unlit', choice('house', 'windows', 'dark'));
feature('lit windows|lit up windows|lighted windows|illuminated windows|bright windows|glowing windows|lights on|window lit|windows lit', choice('house', 'windows', 'lit'));
feature('dark windows|unlit windows|darkened windows|black windows|lights off|windows dark', choice('house', 'windows', 'dark'));
adjective('round|rounded|leafy|bushy|deciduous', choice('tree', 'shape', 'round'), choice('flower', 'petals', 'round'));
feature('round petals|rounded petals', choice('flower', 'petals', 'round'));
feature('pointed petals|pointy petals|spiky petals|sharp petals', choice('flower', 'petals', 'pointed'));
feature('sail|sails', choice('boat', 'propulsion', 'sail'));
feature('motor|motors|engine|engines|outboard motor', choice('boat', 'propulsion', 'motor'));
feature('hat|hats|cap|caps', choice('person', 'hat', 'hat'));
adjective('hatless|bareheaded', choice('person', 'hat', 'no hat'));
adjective('standing|stands|upright', choice('person', 'pose', 'standing'));
adjective('waving|waves hello|raising a hand|raised hand', choice('person', 'pose', 'waving'));
adjective('plain|solid coloured|solid colored|single coloured|single colored', choice('dog', 'pattern', 'plain'), choice('cat', 'pattern', 'plain'));
adjective('spotted|spotty|dotted|speckled', choice('dog', 'pattern', 'spotted'));
feature('spots|dots', choice('dog', 'pattern', 'spotted'));
adjective('striped|stripy|stripey|streaked', choice('cat', 'pattern', 'striped'));
feature('stripes', choice('cat', 'pattern', 'striped'));
feature('rays|ray|sunrays|sunbeams|beams|sun rays', choice('sun', 'rays', 'rays'));
adjective('rayless', choice('sun', 'rays', 'no rays'));
adjective('full', choice('moon', 'phase', 'full'));
adjective('crescent|sickle', choice('moon', 'phase', 'crescent'));
adjective('light|pale|fluffy', choice('cloud', 'shade', 'light'));
adjective('dark|stormy looking', choice('cloud', 'shade', 'dark'));
feature('string|strings', choice('balloon', 'string', 'string'));
feature('basket|baskets', choice('bicycle', 'basket', 'basket'));
feature('spread wings|outstretched wings|open wings|wings spread|wings open|wings outstretched', choice('bird', 'wings', 'spread'));
feature('folded wings|closed wings|tucked wings|wings folded|wings closed', choice('bird', 'wings', 'folded'));
adjective('flying|soaring|gliding', choice('bird', 'wings', 'spread'));
adjective('perched|resting', choice('bird', 'wings', 'folded'));
feature('tail|tails', choice('kite', 'tail', 'tail'));
adjective('tailless', choice('kite', 'tail', 'no tail'));
adjective('open|opened|unzipped', choice('tent', 'door', 'open'));
adjective('closed|shut|zipped', choice('tent', 'door', 'closed'));

// --- Colours and sizes ---------------------------------------------------------------------------
const COLOUR_WORDS: readonly (readonly [Colour, string])[] = [
  ['red', 'red|reddish|crimson|scarlet|maroon|ruby|cherry|burgundy'],
  ['orange', 'orange|orangey|orangish|amber|tangerine|ginger'],
  ['yellow', 'yellow|yellowish|golden|gold|lemon|mustard'],
  ['green', 'green|greenish|lime|olive|emerald|jade'],
  ['blue', 'blue|bluish|blueish|navy|navy blue|teal|azure|turquoise|cyan|sky blue|cobalt'],
  ['purple', 'purple|purplish|violet|lilac|lavender|plum|mauve|indigo'],
  ['pink', 'pink|pinkish|fuchsia|magenta|salmon'],
  ['brown', 'brown|brownish|tan|beige|chocolate|tawny|chestnut|bronze'],
  ['black', 'black|blackish|jet black|ebony'],
  ['white', 'white|whitish|ivory|cream|snow white|snowy white'],
  ['grey', 'grey|gray|greyish|grayish|silver|silvery|charcoal|ashen'],
];
for (const [colour, phrases] of COLOUR_WORDS) {
  define(words(phrases), { type: 'colour', colour, after: false });
  // "a person in red", "a man dressed in blue": the colour follows the noun it belongs to.
  define(words(phrases).map((w) => `in ${w}`), { type: 'colour', colour, after: true });
}

define(words('big|huge|large|giant|enormous|massive|tall|vast|great|gigantic|oversized|bigger|larger|largest|biggest'), { type: 'size', size: 'large' });
define(words('little|tiny|small|miniature|mini|short|smaller|smallest|wee|petite'), { type: 'size', size: 'small' });
define(words('medium|mid sized|mid size|midsized|midsize|medium sized|medium size|average sized|normal sized|regular sized|moderate sized|moderately sized'), { type: 'size', size: 'medium' });

// --- Counts and determiners -----------------------------------------------------------------
const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
NUMBER_WORDS.forEach((word, n) => define([word], { type: 'count', count: n }));
define(words('single|a single|lone|a lone|solitary|a solitary|only one|just one'), { type: 'count', count: 1 });
define(words('a pair of|pair of|a couple of|couple of|a couple|both|twin|twins'), { type: 'count', count: 2 });
define(words('a few|few|several|many|multiple|lots of|a lot of|a bunch of|bunch of|a group of|group of|a trio of|a dozen|dozen|dozens of|numerous|plenty of|a flock of|flock of|a herd of'), { type: 'count', count: 3 });
define(words('a|an|another|one more'), { type: 'determiner', definite: false, one: true });
define(words('the|this|that|these|those|its|their|his|her|my|our'), { type: 'determiner', definite: true, one: false });
define(words('some|any|each|every|all'), { type: 'determiner', definite: false, one: false });

// --- Function words -----------------------------------------------------------------------------
define(words('no|not|without|never|neither|none|isnt|arent|wasnt|werent|dont|doesnt|aint|cannot|cant|hasnt|havent|lacking|missing|free of'), { type: 'negation' });
define(words('or|nor'), { type: 'alternative' });
define(words('and|but|while|whereas|plus|also|then|as well as|along with|together with'), { type: 'conjunction' });
define(words('is|are|was|were|looks|look|seems|seem|appears|appear|being'), { type: 'copula' });
define(words('in|on|at|to|towards|toward|near|by|of|under|over|above|below|beneath|beside|behind|with|from|into|onto|across|along|around|next|during|against|among|between|through|within|upon|inside|outside'), { type: 'preposition' });
define(words('on top of|on top|in front of|in front|on the top of'), { type: 'relation' });

// --- Time, ground, weather ---------------------------------------------------------------------
define(words('night|nights|nighttime|night time|midnight|tonight|dark sky|night sky|darkness|starry|stars|starry sky|moonlit|moonlight|after dark'), { type: 'time', time: 'night' });
define(words('sunset|sunsets|dusk|evening|evenings|twilight|sundown|nightfall|golden hour|late afternoon'), { type: 'time', time: 'sunset' });
define(words('dawn|sunrise|sunrises|early morning|morning|mornings|daybreak|first light|break of day'), { type: 'time', time: 'dawn' });
define(words('day|days|daytime|day time|daylight|broad daylight|midday|noon|afternoon|daylit|during the day'), { type: 'time', time: 'day' });

define(words('grass|grassy|meadow|meadows|field|fields|lawn|lawns|park|parks|garden|gardens|pasture|prairie|hill|hills|hillside|countryside|green field|grassland|yard|backyard'), { type: 'ground', ground: 'grass' });
define(words('sand|sandy|beach|beaches|desert|deserts|dune|dunes|sand dunes|shore|seashore|coast|seaside'), { type: 'ground', ground: 'sand' });
define(words('water|lake|lakes|sea|seas|river|rivers|ocean|oceans|pond|ponds|harbour|harbor|bay|waves|canal|lagoon|open water|waterside'), { type: 'ground', ground: 'water' });
define(words('snow|snowy ground|snowfield|snowfields|snow field|snow fields|snowy field|snowy fields|snowy landscape|snowy hill|snowy hills|snowy meadow|snow covered|snow covered ground|snowbank|snowbanks|snowdrift|snowdrifts|ice|icy ground'), { type: 'ground', ground: 'snow' });
define(words('street|streets|road|roads|highway|highways|motorway|freeway|avenue|parking lot|car park|asphalt|tarmac|pavement|crossroads|intersection|driveway|lane'), { type: 'ground', ground: 'road' });

define(words('clear|clear sky|clear skies|cloudless|cloudless sky|sunny|sunshine|blue sky|blue skies|fair weather|clear weather'), { type: 'weather', weather: 'clear' });
define(words('cloudy|cloudy sky|cloudy skies|overcast|grey sky|gray sky|grey skies|gray skies|clouded|cloudy weather'), { type: 'weather', weather: 'cloudy' });
define(words('rain|rainy|raining|rains|rainfall|drizzle|drizzling|downpour|storm|stormy|thunderstorm|showers|rainstorm|pouring|rainy weather|wet weather'), { type: 'weather', weather: 'rainy' });
define(words('fog|foggy|mist|misty|haze|hazy|smog|foggy weather|misty weather'), { type: 'weather', weather: 'foggy' });
define(words('snowy|snowing|snows|snowfall|snowflakes|snowflake|falling snow|snow falling|snowstorm|blizzard|snowy weather|flurries'), { type: 'weather', weather: 'snowy' });

// --- Positions ------------------------------------------------------------------------------------
define(words('top|upper|topmost|uppermost'), { type: 'position', vertical: 'top' });
define(words('bottom|lower|bottommost|lowermost'), { type: 'position', vertical: 'bottom' });
define(words('left|leftmost|lefthand'), { type: 'position', horizontal: 'left' });
define(words('right|rightmost|righthand'), { type: 'position', horizontal: 'right' });
define(words('middle|center|centre|central|centered|centred|centrally'), { type: 'position' });
define(words('hand|side|corner|part|area|edge|region'), { type: 'positionFiller' });

export const LEXICON: ReadonlyMap<string, Meaning> = lexicon;

/** The longest phrase in the lexicon, in words: how far the parser looks ahead. */
export const LONGEST_PHRASE = Math.max(...[...lexicon.keys()].map((k) => k.split(' ').length));
