// One image's model view: the scaled image on its padded canvas (black padding to multiples of 28 px). On
// the image's card it is a thumbnail; a click opens it large in a dialog, with the 28-px grid (a toggle)
// and the coordinate tools: clicking maps a view point to original coordinates; typed points (the keyboard
// alternative) map both ways. The mapping is the server's own src/imaging/coordinates.ts, not a copy.
import { originalToView, type Point, viewToOriginal } from '../src/imaging/coordinates.js';
import { type ImagePlan, PATCH_SIZE } from '../src/imaging/plan.js';
import { h } from './dom.js';
import { formatPoint } from './format.js';
import { bitmapOf } from './images.js';
import type { Card, PageImage } from './types.js';

async function draw(
  canvas: HTMLCanvasElement,
  image: PageImage,
  plan: ImagePlan,
  marker: Point | null,
  grid = true,
): Promise<void> {
  const context = canvas.getContext('2d');
  if (!context) return; // no 2D context (the browser refused one): the canvas stays blank
  const { canvasWidth: width, canvasHeight: height, viewWidth, viewHeight } = plan;
  const bitmap = await bitmapOf(image);
  context.fillStyle = '#000';
  context.fillRect(0, 0, width, height);
  if (bitmap) {
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, viewWidth, viewHeight);
  } else {
    context.fillStyle = '#4a4f57';
    context.fillRect(0, 0, viewWidth, viewHeight);
  }
  const line = Math.max(1, Math.round(width / 720));
  context.lineWidth = line;
  if (grid) {
    // 'difference' keeps the grid visible on light and dark pixels alike
    context.globalCompositeOperation = 'difference';
    context.strokeStyle = 'rgba(255, 255, 255, 0.3)';
    context.beginPath();
    for (let x = PATCH_SIZE; x < width; x += PATCH_SIZE) {
      context.moveTo(x, 0);
      context.lineTo(x, height);
    }
    for (let y = PATCH_SIZE; y < height; y += PATCH_SIZE) {
      context.moveTo(0, y);
      context.lineTo(width, y);
    }
    context.stroke();
    context.globalCompositeOperation = 'source-over';
  }
  if (viewWidth < width || viewHeight < height) {
    context.setLineDash([line * 6, line * 4]);
    context.strokeStyle = '#f5b300';
    context.strokeRect(line / 2, line / 2, viewWidth - line, viewHeight - line);
    context.setLineDash([]);
  }
  if (marker) {
    const radius = Math.max(7, Math.round(width / 90));
    context.lineWidth = Math.max(2, line * 2);
    for (const [colour, grow] of [
      ['#000', context.lineWidth],
      ['#ff3b6b', 0],
    ] as const) {
      context.strokeStyle = colour;
      context.beginPath();
      context.arc(marker.x, marker.y, radius + grow / 2, 0, Math.PI * 2);
      context.moveTo(marker.x - radius * 1.8, marker.y);
      context.lineTo(marker.x + radius * 1.8, marker.y);
      context.moveTo(marker.x, marker.y - radius * 1.8);
      context.lineTo(marker.x, marker.y + radius * 1.8);
      context.stroke();
    }
  }
}

interface PointFormOptions {
  legend: string;
  idPrefix: string;
  max: Point;
  button: string;
  onPoint: (point: Point) => void;
}

function pointForm({ legend, idPrefix, max, button, onPoint }: PointFormOptions): HTMLFormElement {
  const input = (axis: 'x' | 'y', limit: number) =>
    h(
      'div',
      { class: 'point-field' },
      h('label', { for: `${idPrefix}-${axis}` }, axis),
      h('input', {
        id: `${idPrefix}-${axis}`,
        name: axis,
        type: 'number',
        min: 0,
        max: limit,
        step: 'any',
        required: true,
        inputMode: 'decimal',
      }),
    );
  const form = h(
    'form',
    { class: 'point-form' },
    h(
      'fieldset',
      {},
      h('legend', {}, legend),
      input('x', max.x),
      input('y', max.y),
      h('button', { type: 'submit', class: 'button small' }, button),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = (axis: 'x' | 'y') => {
      const field = form.elements.namedItem(axis);
      return field instanceof HTMLInputElement ? Number(field.value) : Number.NaN;
    };
    const x = value('x');
    const y = value('y');
    if (Number.isFinite(x) && Number.isFinite(y)) onPoint({ x, y });
  });
  return form;
}

/** A card's model-view thumbnail: the padded canvas without the grid, a button that calls onOpen(). */
export function createModelThumb(
  { image, number, plan }: { image: PageImage; number: number; plan: ImagePlan },
  onOpen: () => void,
): HTMLElement {
  const canvas = h('canvas', {
    class: 'model-thumb-canvas',
    width: plan.canvasWidth,
    height: plan.canvasHeight,
    'aria-hidden': 'true',
  });
  void draw(canvas, image, plan, null, false);
  return h(
    'button',
    {
      type: 'button',
      class: 'model-thumb',
      dataset: { imageId: image.id },
      'aria-label': `Open the model view of Image ${number} (${plan.canvasWidth} × ${plan.canvasHeight} px)`,
      onclick: onOpen,
    },
    canvas,
    h('span', { class: 'model-thumb-label' }, 'Model view'),
  );
}

/** A card's model view: a figure with the canvas and the coordinate tools. */
export function createModelView({ image, number, plan, problem }: Card): HTMLElement {
  const title = h('h3', { id: `model-view-title-${image.id}` }, `Image ${number}: the model view`);
  if (!plan || problem) {
    return h(
      'div',
      { class: 'model-view unavailable', dataset: { imageId: image.id } },
      title,
      h(
        'p',
        { class: 'hint' },
        problem
          ? 'No model view: the API would reject this image.'
          : 'No model view: the image header could not be read.',
      ),
    );
  }
  const padRight = plan.canvasWidth - plan.viewWidth;
  const padBottom = plan.canvasHeight - plan.viewHeight;
  const canvas = h('canvas', {
    class: 'model-canvas',
    width: plan.canvasWidth,
    height: plan.canvasHeight,
    role: 'img',
    'aria-label': `Model view of Image ${number}, ${plan.viewWidth} by ${plan.viewHeight} pixels padded to ${plan.canvasWidth} by ${plan.canvasHeight}. Click a point, or type one in the fields below.`,
  });
  const output = h(
    'output',
    { class: 'mapping', 'aria-live': 'polite' },
    'Click the view, or type a point, to map coordinates.',
  );
  let marker: Point | null = null;
  let grid = true;
  const redraw = () => draw(canvas, image, plan, marker, grid);
  const gridSwitch = h(
    'label',
    { class: 'switch grid-switch' },
    h('input', {
      type: 'checkbox',
      checked: true,
      onchange: (event: Event) => {
        grid = (event.currentTarget as HTMLInputElement).checked;
        void redraw();
      },
    }),
    `Show the ${PATCH_SIZE}-px grid`,
  );

  const show = (viewPoint: Point, original: Point & { inPadding?: boolean }, text: string) => {
    marker = viewPoint;
    output.textContent = text;
    Object.assign(output.dataset, {
      viewX: String(viewPoint.x),
      viewY: String(viewPoint.y),
      originalX: String(original.x),
      originalY: String(original.y),
      inPadding: String(original.inPadding ?? false),
    });
    void redraw();
  };
  const fromView = (point: Point) => {
    const original = viewToOriginal(point, plan);
    const where = original.inPadding ? ' — in padding (clamped to the nearest image pixel)' : '';
    output.dataset.direction = 'view-to-original';
    show(point, original, `View ${formatPoint(point)} → original ${formatPoint(original)}${where}`);
  };
  const fromOriginal = (point: Point) => {
    const view = originalToView(point, plan);
    const clamped = view.clamped ? ' (clamped to the image)' : '';
    output.dataset.direction = 'original-to-view';
    show(
      view,
      { ...point, inPadding: false },
      `Original ${formatPoint(point)}${clamped} → view ${formatPoint(view)}`,
    );
  };

  canvas.addEventListener('click', (event) => {
    const rect = canvas.getBoundingClientRect();
    const at = (offset: number, size: number, length: number) =>
      Math.min(length - 1, Math.max(0, Math.floor((offset * length) / size)));
    fromView({
      x: at(event.clientX - rect.left, rect.width, plan.canvasWidth),
      y: at(event.clientY - rect.top, rect.height, plan.canvasHeight),
    });
  });
  void redraw();

  const idPrefix = `mv-${image.id}`;
  return h(
    'figure',
    { class: 'model-view', dataset: { imageId: image.id } },
    h(
      'figcaption',
      {},
      title,
      h(
        'span',
        { class: 'hint' },
        `view ${plan.viewWidth} × ${plan.viewHeight} px · canvas ${plan.canvasWidth} × ${plan.canvasHeight} px` +
          (padRight || padBottom
            ? ` (padding: ${padRight} px right, ${padBottom} px bottom)`
            : ' (no padding)'),
      ),
      gridSwitch,
    ),
    h('div', { class: 'canvas-frame' }, canvas),
    output,
    h(
      'div',
      { class: 'point-forms' },
      pointForm({
        legend: 'View point → original',
        idPrefix: `${idPrefix}-view`,
        max: { x: plan.canvasWidth - 1, y: plan.canvasHeight - 1 },
        button: 'Map',
        onPoint: fromView,
      }),
      pointForm({
        legend: 'Original point → view',
        idPrefix: `${idPrefix}-original`,
        max: { x: plan.width - 1, y: plan.height - 1 },
        button: 'Show on view',
        onPoint: fromOriginal,
      }),
    ),
  );
}
