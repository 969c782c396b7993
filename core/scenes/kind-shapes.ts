import type { Paint } from './palette.js';
import type { ObjectKind } from './vocabulary.js';

/**
 * One simple, recognisable drawing per kind, in a local frame of [-1, 1] x [-1, 1] (y down;
 * things that stand on the ground touch y = 1). Every kind attribute changes the drawing
 * visibly and in a distinct place, so that one changed attribute changes the pixels.
 */
export type ShapeDrawer = (paint: Paint, attributes: Readonly<Record<string, string>>) => string;

const SKIN = '#f1c27d';
const TYRE = '#222222';
const GLASS = '#bfe3f5';
const STEM = '#2f8f3a';
const WOOD = '#7a4a22';

const outlined = (p: Paint, width = 0.05) => `stroke="${p.outline}" stroke-width="${width}" stroke-linejoin="round"`;

/** Points on a circle, for rays and petals laid out once at load time. */
function around(n: number, draw: (angle: number, i: number) => string): string {
  let out = '';
  for (let i = 0; i < n; i++) out += draw((2 * Math.PI * i) / n, i);
  return out;
}

const r2 = (v: number) => Math.round(v * 100) / 100;

const SUN_RAYS = around(8, (a) => `M${r2(Math.cos(a) * 0.7)} ${r2(Math.sin(a) * 0.7)}L${r2(Math.cos(a) * 0.98)} ${r2(Math.sin(a) * 0.98)}`);
const ROUND_PETALS = around(6, (a) => `<circle cx="${r2(Math.cos(a) * 0.3)}" cy="${r2(-0.35 + Math.sin(a) * 0.3)}" r="0.2"/>`);
const POINTED_PETALS = around(
  6,
  (_, i) => `<path transform="translate(0 -0.35) rotate(${i * 60})" d="M0 0Q0.15 -0.26 0 -0.6Q-0.15 -0.26 0 0Z"/>`,
);
const PALM_FRONDS = [-165, -130, -95, -60, -20]
  .map((deg) => `<path transform="translate(0.16 -0.55) rotate(${deg})" d="M0 0Q0.45 -0.36 0.95 0.1Q0.45 -0.06 0 0Z"/>`)
  .join('');
const CLOUD_PUFFS: readonly (readonly [number, number, number])[] = [
  [-0.5, 0.12, 0.36],
  [-0.1, -0.15, 0.5],
  [0.42, 0.02, 0.4],
  [0.05, 0.22, 0.38],
];
const puffs = (attrs: string) => CLOUD_PUFFS.map(([x, y, r]) => `<circle cx="${x}" cy="${y}" r="${r}" ${attrs}/>`).join('');

function house(p: Paint, a: Readonly<Record<string, string>>): string {
  const roof =
    a['roof'] === 'flat'
      ? `<rect x="-0.92" y="-0.36" width="1.84" height="0.24" fill="${p.dark}" ${outlined(p)}/>`
      : `<polygon points="-0.98,-0.1 0,-0.95 0.98,-0.1" fill="${p.dark}" ${outlined(p)}/>`;
  const lit = a['windows'] === 'lit';
  const pane = lit ? '#ffe45c' : '#2b3342';
  const glow = lit ? `<rect x="-0.68" y="-0.03" width="1.36" height="0.48" fill="#fff3a0" opacity="0.45"/>` : '';
  return (
    `<rect x="-0.8" y="-0.15" width="1.6" height="1.15" fill="${p.fill}" ${outlined(p)}/>${roof}${glow}` +
    `<rect x="-0.6" y="0.04" width="0.38" height="0.32" fill="${pane}"/><rect x="0.22" y="0.04" width="0.38" height="0.32" fill="${pane}"/>` +
    `<rect x="-0.14" y="0.5" width="0.28" height="0.5" fill="#5b3a1e"/>`
  );
}

function tree(p: Paint, a: Readonly<Record<string, string>>): string {
  const trunk = p.colour === 'brown' ? '#4a2c14' : WOOD;
  switch (a['shape']) {
    case 'pine':
      return (
        `<rect x="-0.08" y="0.62" width="0.16" height="0.38" fill="${trunk}"/>` +
        `<g fill="${p.fill}" ${outlined(p)}><polygon points="0,-0.25 -0.75,0.68 0.75,0.68"/>` +
        `<polygon points="0,-0.65 -0.6,0.12 0.6,0.12"/><polygon points="0,-1 -0.45,-0.38 0.45,-0.38"/></g>`
      );
    case 'palm':
      return `<path d="M-0.1 1Q0.1 0.2 0.08 -0.55L0.24 -0.55Q0.28 0.2 0.14 1Z" fill="${trunk}"/><g fill="${p.fill}" ${outlined(p, 0.04)}>${PALM_FRONDS}</g>`;
    default:
      return (
        `<rect x="-0.1" y="0.15" width="0.2" height="0.85" fill="${trunk}"/>` +
        `<circle cx="0" cy="-0.3" r="0.64" fill="${p.fill}" ${outlined(p)}/><circle cx="-0.2" cy="-0.5" r="0.2" fill="${p.light}" opacity="0.5"/>`
      );
  }
}

const WHEELS = [-0.6, 0.6]
  .map((x) => `<circle cx="${x}" cy="0.76" r="0.22" fill="${TYRE}"/><circle cx="${x}" cy="0.76" r="0.08" fill="#aaaaaa"/>`)
  .join('');

function car(p: Paint, a: Readonly<Record<string, string>>): string {
  let body: string;
  switch (a['body']) {
    case 'truck':
      body =
        `<rect x="-1" y="0.18" width="1.22" height="0.56" fill="${p.fill}" ${outlined(p)}/>` +
        `<rect x="-1" y="0.1" width="1.22" height="0.1" fill="${p.dark}"/>` +
        `<rect x="0.24" y="-0.38" width="0.76" height="1.12" rx="0.08" fill="${p.fill}" ${outlined(p)}/>` +
        `<rect x="0.5" y="-0.26" width="0.4" height="0.34" fill="${GLASS}"/>`;
      break;
    case 'van':
      body =
        `<rect x="-1" y="-0.48" width="2" height="1.22" rx="0.14" fill="${p.fill}" ${outlined(p)}/>` +
        `<g fill="${GLASS}"><rect x="-0.86" y="-0.34" width="0.38" height="0.32"/><rect x="-0.36" y="-0.34" width="0.38" height="0.32"/>` +
        `<rect x="0.14" y="-0.34" width="0.38" height="0.32"/><rect x="0.64" y="-0.34" width="0.26" height="0.4"/></g>`;
      break;
    default:
      body =
        `<polygon points="-0.56,0.14 -0.36,-0.32 0.38,-0.32 0.62,0.14" fill="${p.fill}" ${outlined(p)}/>` +
        `<rect x="-1" y="0.1" width="2" height="0.64" rx="0.14" fill="${p.fill}" ${outlined(p)}/>` +
        `<g fill="${GLASS}"><polygon points="-0.44,0.08 -0.3,-0.24 -0.02,-0.24 -0.02,0.08"/><polygon points="0.04,0.08 0.04,-0.24 0.34,-0.24 0.5,0.08"/></g>`;
  }
  return body + WHEELS;
}

function boat(p: Paint, a: Readonly<Record<string, string>>): string {
  const hull = `<polygon points="-1,0.3 1,0.3 0.72,0.8 -0.72,0.8" fill="${p.fill}" ${outlined(p)}/>`;
  if (a['propulsion'] === 'motor') {
    return (
      `<path d="M-1.05 0.72L-1.35 0.62M-1.05 0.8L-1.4 0.84" stroke="#ffffff" stroke-width="0.05" opacity="0.8"/>` +
      `<rect x="-0.45" y="-0.2" width="0.85" height="0.52" fill="#eeeeee" ${outlined(p, 0.04)}/>` +
      `<rect x="-0.3" y="-0.1" width="0.55" height="0.18" fill="${GLASS}"/>` +
      `<rect x="-1.08" y="0.12" width="0.2" height="0.55" fill="#333333"/>${hull}`
    );
  }
  const sail = p.colour === 'white' ? '#efe6c8' : '#fafafa';
  return (
    `<line x1="0" y1="-0.95" x2="0" y2="0.3" stroke="${WOOD}" stroke-width="0.06"/>` +
    `<polygon points="0.05,-0.9 0.05,0.22 0.8,0.22" fill="${sail}" stroke="#777777" stroke-width="0.03"/>` +
    `<polygon points="-0.05,-0.68 -0.05,0.22 -0.55,0.22" fill="${sail}" stroke="#777777" stroke-width="0.03"/>${hull}`
  );
}

function person(p: Paint, a: Readonly<Record<string, string>>): string {
  const arms =
    a['pose'] === 'waving'
      ? `<path d="M-0.28 -0.38L-0.44 0.25M0.28 -0.38L0.62 -0.92" stroke="${SKIN}" stroke-width="0.12" stroke-linecap="round"/><circle cx="0.64" cy="-0.98" r="0.09" fill="${SKIN}"/>`
      : `<path d="M-0.28 -0.38L-0.44 0.25M0.28 -0.38L0.44 0.25" stroke="${SKIN}" stroke-width="0.12" stroke-linecap="round"/>`;
  const hat =
    a['hat'] === 'hat'
      ? `<rect x="-0.46" y="-0.88" width="0.92" height="0.1" fill="#3b2a1a"/><rect x="-0.25" y="-1.22" width="0.5" height="0.36" fill="#3b2a1a"/>`
      : '';
  return (
    `<rect x="-0.22" y="0.3" width="0.18" height="0.7" fill="#2e3440"/><rect x="0.04" y="0.3" width="0.18" height="0.7" fill="#2e3440"/>` +
    `${arms}<polygon points="-0.3,-0.46 0.3,-0.46 0.34,0.36 -0.34,0.36" fill="${p.fill}" ${outlined(p)}/>` +
    `<circle cx="0" cy="-0.68" r="0.2" fill="${SKIN}"/>${hat}`
  );
}

function dog(p: Paint, a: Readonly<Record<string, string>>): string {
  const spot = p.isDark ? '#f5f5f5' : '#1e1e1e';
  const spots =
    a['pattern'] === 'spotted'
      ? `<g fill="${spot}"><circle cx="-0.38" cy="0.06" r="0.13"/><circle cx="0.08" cy="0.24" r="0.11"/><circle cx="0.32" cy="0.03" r="0.09"/><circle cx="-0.12" cy="-0.02" r="0.08"/><circle cx="0.64" cy="-0.36" r="0.08"/></g>`
      : '';
  return (
    `<path d="M-0.7 0.02L-0.98 -0.34" stroke="${p.fill}" stroke-width="0.12" stroke-linecap="round"/>` +
    `<g fill="${p.fill}" ${outlined(p, 0.04)}><rect x="-0.62" y="0.3" width="0.14" height="0.7"/><rect x="-0.38" y="0.3" width="0.14" height="0.7"/>` +
    `<rect x="0.28" y="0.3" width="0.14" height="0.7"/><rect x="0.52" y="0.3" width="0.14" height="0.7"/>` +
    `<ellipse cx="-0.05" cy="0.15" rx="0.72" ry="0.3"/><circle cx="0.7" cy="-0.25" r="0.28"/><ellipse cx="0.95" cy="-0.16" rx="0.15" ry="0.11"/></g>` +
    `<ellipse cx="0.56" cy="-0.28" rx="0.1" ry="0.2" fill="${p.dark}"/><circle cx="1.08" cy="-0.19" r="0.05" fill="#111111"/><circle cx="0.78" cy="-0.33" r="0.04" fill="#111111"/>${spots}`
  );
}

function cat(p: Paint, a: Readonly<Record<string, string>>): string {
  const stripe = p.isDark ? '#c0c0c0' : '#3a2a1a';
  const stripes =
    a['pattern'] === 'striped'
      ? `<path d="M-0.4 0.2Q0 0.32 0.4 0.2M-0.44 0.45Q0 0.57 0.44 0.45M-0.38 0.7Q0 0.82 0.38 0.7M-0.1 -0.68L-0.07 -0.5M0.1 -0.68L0.07 -0.5" stroke="${stripe}" stroke-width="0.08" fill="none"/>`
      : '';
  return (
    `<path d="M0.35 0.88Q0.95 0.72 0.8 0.18" stroke="${p.fill}" stroke-width="0.13" fill="none" stroke-linecap="round"/>` +
    `<g fill="${p.fill}" ${outlined(p, 0.04)}><ellipse cx="0" cy="0.45" rx="0.45" ry="0.55"/>` +
    `<polygon points="-0.34,-0.48 -0.28,-0.96 -0.04,-0.66"/><polygon points="0.34,-0.48 0.28,-0.96 0.04,-0.66"/><circle cx="0" cy="-0.35" r="0.36"/></g>` +
    `<circle cx="-0.13" cy="-0.38" r="0.06" fill="#9acd32"/><circle cx="0.13" cy="-0.38" r="0.06" fill="#9acd32"/>` +
    `<polygon points="-0.05,-0.26 0.05,-0.26 0,-0.2" fill="#ff8fa3"/>${stripes}`
  );
}

function sun(p: Paint, a: Readonly<Record<string, string>>): string {
  const rays = a['rays'] === 'no rays' ? '' : `<path d="${SUN_RAYS}" stroke="${p.fill}" stroke-width="0.12" stroke-linecap="round"/>`;
  return `${rays}<circle cx="0" cy="0" r="0.55" fill="${p.fill}" stroke="${p.dark}" stroke-width="0.04"/>`;
}

function moon(p: Paint, a: Readonly<Record<string, string>>): string {
  if (a['phase'] === 'crescent') {
    return `<path d="M0.12 -0.6A0.6 0.6 0 0 0 0.12 0.6A0.34 0.6 0 0 1 0.12 -0.6Z" fill="${p.fill}" stroke="${p.dark}" stroke-width="0.04"/>`;
  }
  return (
    `<circle cx="0" cy="0" r="0.6" fill="${p.fill}" stroke="${p.dark}" stroke-width="0.04"/>` +
    `<g fill="${p.dark}" opacity="0.35"><circle cx="-0.2" cy="-0.15" r="0.12"/><circle cx="0.18" cy="0.2" r="0.09"/><circle cx="0.15" cy="-0.25" r="0.06"/></g>`
  );
}

function cloud(p: Paint, a: Readonly<Record<string, string>>): string {
  const fill = a['shade'] === 'dark' ? p.shadow : p.fill;
  // Outline pass first, fill pass on top, so the puffs read as one cloud without inner seams.
  return `${puffs(`fill="none" stroke="${p.outline}" stroke-width="0.08"`)}${puffs(`fill="${fill}"`)}`;
}

function balloon(p: Paint, a: Readonly<Record<string, string>>): string {
  const string = a['string'] === 'no string' ? '' : `<path d="M0 0.36Q-0.16 0.58 0.04 0.78T0 1" stroke="#333333" stroke-width="0.1" fill="none"/>`;
  return (
    `${string}<polygon points="-0.08,0.38 0.08,0.38 0,0.28" fill="${p.dark}"/>` +
    `<ellipse cx="0" cy="-0.3" rx="0.5" ry="0.62" fill="${p.fill}" ${outlined(p, 0.04)}/><ellipse cx="-0.18" cy="-0.52" rx="0.1" ry="0.16" fill="#ffffff" opacity="0.6"/>`
  );
}

function flower(p: Paint, a: Readonly<Record<string, string>>): string {
  const petals = a['petals'] === 'pointed' ? POINTED_PETALS : ROUND_PETALS;
  const centre = p.colour === 'yellow' ? '#8b5a2b' : '#f6d214';
  return (
    `<path d="M0 -0.2L0 1" stroke="${STEM}" stroke-width="0.08"/><ellipse cx="0.16" cy="0.5" rx="0.2" ry="0.08" transform="rotate(-30 0.16 0.5)" fill="${STEM}"/>` +
    `<g fill="${p.fill}" ${outlined(p, 0.03)}>${petals}</g><circle cx="0" cy="-0.35" r="0.15" fill="${centre}"/>`
  );
}

function bicycle(p: Paint, a: Readonly<Record<string, string>>): string {
  const basket =
    a['basket'] === 'basket'
      ? `<rect x="0.26" y="-0.58" width="0.6" height="0.44" fill="#b07a3c" stroke="#6b4520" stroke-width="0.04"/><path d="M0.26 -0.36H0.86M0.46 -0.58V-0.14M0.66 -0.58V-0.14" stroke="#6b4520" stroke-width="0.03"/>`
      : '';
  return (
    `<g fill="none" stroke="${TYRE}" stroke-width="0.08"><circle cx="-0.55" cy="0.52" r="0.42"/><circle cx="0.55" cy="0.52" r="0.42"/></g>` +
    `<path d="M-0.55 0.52L-0.1 0.52L0.3 -0.05L-0.25 -0.05ZM-0.1 0.52L-0.3 -0.25M0.3 -0.05L0.55 0.52M0.3 -0.05L0.24 -0.3" stroke="${p.fill}" stroke-width="0.1" fill="none" stroke-linejoin="round"/>` +
    `<rect x="-0.44" y="-0.33" width="0.26" height="0.08" fill="${TYRE}"/><path d="M0.12 -0.3H0.38" stroke="${TYRE}" stroke-width="0.07"/>${basket}`
  );
}

function bird(p: Paint, a: Readonly<Record<string, string>>): string {
  const wings =
    a['wings'] === 'folded'
      ? ''
      : `<g fill="${p.dark}" ${outlined(p, 0.03)}><path d="M-0.2 0Q-0.6 -0.5 -0.75 -0.95Q-0.2 -0.7 0.15 -0.02Z"/><path d="M0 0Q0.05 -0.55 0.25 -0.92Q0.42 -0.5 0.25 0Z"/></g>`;
  const folded = a['wings'] === 'folded' ? `<ellipse cx="-0.06" cy="0.08" rx="0.3" ry="0.13" fill="${p.dark}"/>` : '';
  return (
    `<polygon points="-0.4,0.06 -0.85,-0.14 -0.8,0.26" fill="${p.dark}"/>${wings}` +
    `<g fill="${p.fill}" ${outlined(p, 0.03)}><ellipse cx="0" cy="0.1" rx="0.45" ry="0.26"/><circle cx="0.42" cy="-0.08" r="0.2"/></g>${folded}` +
    `<polygon points="0.6,-0.12 0.85,-0.04 0.6,0" fill="#f39c12"/><circle cx="0.47" cy="-0.12" r="0.04" fill="#111111"/>`
  );
}

function kite(p: Paint, a: Readonly<Record<string, string>>): string {
  const tail =
    a['tail'] === 'no tail'
      ? ''
      : `<path d="M0 0.3Q0.25 0.48 0 0.65T0.05 1" stroke="#444444" stroke-width="0.04" fill="none"/>` +
        `<polygon points="-0.02,0.46 0.26,0.36 0.24,0.6" fill="#e63946"/><polygon points="0.02,0.66 -0.26,0.56 -0.24,0.8" fill="#f1c40f"/><polygon points="0.04,0.86 0.32,0.76 0.3,1" fill="#2e86de"/>`;
  return (
    `${tail}<polygon points="0,-1 0.55,-0.4 0,0.3 -0.55,-0.4" fill="${p.fill}" ${outlined(p, 0.04)}/>` +
    `<path d="M0 -1V0.3M-0.55 -0.4H0.55" stroke="${p.dark}" stroke-width="0.04"/>`
  );
}

function tent(p: Paint, a: Readonly<Record<string, string>>): string {
  const door =
    a['door'] === 'open'
      ? `<polygon points="-0.4,1 0,0 0.4,1" fill="#1d1a17"/><polygon points="0,0 0.4,1 0.66,1" fill="${p.light}"/>`
      : `<path d="M0 0V1" stroke="${p.dark}" stroke-width="0.05"/>`;
  return (
    `<path d="M0 -0.6V-0.8" stroke="#444444" stroke-width="0.05"/>` +
    `<polygon points="-1,1 0,-0.6 1,1" fill="${p.fill}" ${outlined(p)}/>${door}`
  );
}

export const KIND_SHAPES: { readonly [K in ObjectKind]: ShapeDrawer } = {
  house,
  tree,
  car,
  boat,
  person,
  dog,
  cat,
  sun,
  moon,
  cloud,
  balloon,
  flower,
  bicycle,
  bird,
  kite,
  tent,
};
