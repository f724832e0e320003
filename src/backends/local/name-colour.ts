// Gives an RGB colour a plain English name (e.g. "red", "dark blue", "greyish blue", "tan") from its
// hue, chroma and lightness. Pure and deterministic; coarse on purpose.

export function toHex(red: number, green: number, blue: number): string {
  return `#${[red, green, blue].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}

/** Hue in degrees, 0–360 (0 for greys). */
function hueDegrees(red: number, green: number, blue: number): number {
  const maximum = Math.max(red, green, blue);
  const chroma = maximum - Math.min(red, green, blue);
  if (chroma === 0) return 0;
  let hue: number;
  if (maximum === red) hue = ((green - blue) / chroma) % 6;
  else if (maximum === green) hue = (blue - red) / chroma + 2;
  else hue = (red - green) / chroma + 4;
  return (hue * 60 + 360) % 360;
}

function greyName(lightness: number): string {
  if (lightness < 0.12) return 'black';
  if (lightness < 0.35) return 'dark grey';
  if (lightness < 0.65) return 'grey';
  if (lightness < 0.9) return 'light grey';
  return 'white';
}

function hueName(hue: number): string {
  if (hue < 15 || hue >= 345) return 'red';
  if (hue < 40) return 'orange';
  if (hue < 68) return 'yellow';
  if (hue < 165) return 'green';
  if (hue < 195) return 'cyan';
  if (hue < 255) return 'blue';
  if (hue < 290) return 'purple';
  return 'magenta';
}

/** A plain colour name for 0–255 RGB values. */
export function nameColour(red: number, green: number, blue: number): string {
  const maximum = Math.max(red, green, blue) / 255;
  const minimum = Math.min(red, green, blue) / 255;
  const chroma = maximum - minimum;
  const lightness = (maximum + minimum) / 2;
  if (chroma < 0.08) return greyName(lightness);

  const hue = hueDegrees(red, green, blue);
  const earthy = hue >= 15 && hue < 50;
  if (earthy && lightness < 0.5 && (lightness < 0.35 || chroma < 0.5))
    return lightness < 0.2 ? 'dark brown' : 'brown';
  if (earthy && chroma < 0.3) return lightness > 0.7 ? 'beige' : 'tan';

  const base = hueName(hue);
  if (base === 'yellow' && lightness < 0.35) return 'olive';
  if (base === 'cyan' && lightness < 0.35) return 'teal';
  if (base === 'magenta' && lightness < 0.35) return 'purple';
  if ((base === 'red' || base === 'magenta') && lightness > 0.7) return 'pink';
  const tone = chroma < 0.25 ? `greyish ${base}` : base;
  if (lightness < 0.3) return `dark ${tone}`;
  if (lightness > 0.75) return `light ${tone}`;
  return tone;
}
