/**
 * The image viewer's geometry: the photo fitted to the stage as turned, times the zoom. The box is
 * what the photo occupies once turned (its sides swap at 90° and 270°), so the stage scrolls over
 * the whole of a zoomed photo. Pure; sizes in CSS pixels.
 */

export interface Size {
  width: number;
  height: number;
}

export interface ViewerLayout {
  /** The image element's own size (before the rotation). */
  image: Size;
  /** The space it takes once turned. */
  box: Size;
}

/**
 * @param natural the photo's own pixels; stage: the room for it; rotation: degrees, a multiple of 90;
 *   zoom: 1 fits the stage.
 */
export function viewerLayout(natural: Size, stage: Size, rotation: number, zoom: number): ViewerLayout {
  const turned = rotation % 180 !== 0;
  const box = turned ? { width: natural.height, height: natural.width } : natural;
  const fit = Math.min(stage.width / box.width, stage.height / box.height);
  const scale = (Number.isFinite(fit) && fit > 0 ? fit : 1) * zoom;
  return {
    image: { width: natural.width * scale, height: natural.height * scale },
    box: { width: box.width * scale, height: box.height * scale },
  };
}
