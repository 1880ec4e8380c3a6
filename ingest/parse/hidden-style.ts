/**
 * Inline CSS that hides text from a reader while leaving it in the markup, the way hostile pages
 * hide instructions for a model (pure). Complements HIDDEN_STYLE (display:none, visibility:hidden,
 * zero font size, zero opacity) with the other tricks seen in prompt-injection pages:
 * off-screen positioning, text pushed out by indentation, clipping to nothing, zero-size boxes,
 * text scaled away, fonts too small to read, and text the colour of its background.
 */
const MIN_READABLE_PX = 4;

/** `left: -10000px` and friends: an element placed more than this far off the page is not read. */
const OFF_SCREEN_PX = 1_000;

function declarations(style: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of style.slice(0, 4_000).split(';')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    map.set(
      part.slice(0, colon).trim().toLowerCase(),
      part
        .slice(colon + 1)
        .replace(/!important/i, '')
        .trim()
        .toLowerCase(),
    );
  }
  return map;
}

function pixels(value: string | undefined): number | undefined {
  const match = /^(-?\d*\.?\d+)(px|pt|em|rem|%|vw|vh)?$/.exec(value ?? '');
  if (!match) return undefined;
  const number = Number(match[1]);
  switch (match[2]) {
    case 'pt':
      return number * (4 / 3);
    case 'em':
    case 'rem':
      return number * 16;
    case '%':
      return number * 0.16;
    case 'vw':
    case 'vh':
      return number * 10;
    default:
      return number;
  }
}

const NAMED_COLOURS: Readonly<Record<string, string>> = { white: '#ffffff', black: '#000000', transparent: 'transparent' };

/** A colour as `#rrggbb` (or `transparent`), when it can be read without a stylesheet. */
function normalizeColour(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const colour = value.replace(/\s+/g, '');
  if (NAMED_COLOURS[colour]) return NAMED_COLOURS[colour];
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(colour);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  if (/^#[0-9a-f]{6}$/.test(colour)) return colour;
  const rgb = /^rgba?\((\d{1,3}),(\d{1,3}),(\d{1,3})(?:,([\d.]+))?\)$/.exec(colour);
  if (rgb) {
    if (rgb[4] !== undefined && Number(rgb[4]) === 0) return 'transparent';
    return `#${[rgb[1], rgb[2], rgb[3]].map((part) => Number(part).toString(16).padStart(2, '0')).join('')}`;
  }
  return undefined;
}

export function isVisuallyHiddenStyle(style: string): boolean {
  const css = declarations(style);
  const fontSize = pixels(css.get('font-size'));
  if (fontSize !== undefined && fontSize < MIN_READABLE_PX) return true;
  for (const side of ['left', 'top', 'right', 'margin-left', 'margin-top', 'text-indent']) {
    const offset = pixels(css.get(side));
    if (offset !== undefined && offset <= -OFF_SCREEN_PX) return true;
  }
  const clip = css.get('clip') ?? '';
  if (/rect\(\s*0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?\s*\)/.test(clip)) return true;
  if (/inset\(\s*(?:50%|100%)/.test(css.get('clip-path') ?? '')) return true;
  const width = pixels(css.get('width'));
  const height = pixels(css.get('height'));
  if (
    (width === 0 || height === 0 || (width !== undefined && width <= 1 && height !== undefined && height <= 1)) &&
    /hidden|clip/.test(css.get('overflow') ?? '')
  )
    return true;
  if (/scale\(\s*0(?:\.0+)?\s*\)/.test(css.get('transform') ?? '')) return true;
  const colour = normalizeColour(css.get('color'));
  if (colour === 'transparent') return true;
  const background = normalizeColour(css.get('background-color') ?? css.get('background'));
  // Same colour as its own background, or white text where no background is set (pages default to white).
  if (colour !== undefined && (background === colour || (background === undefined && colour === '#ffffff'))) return true;
  return false;
}
