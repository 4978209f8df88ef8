/**
 * @module chart
 * The done-vs-open chart (uPlot): two stepped series over the HLCs' wall-clock time, and a
 * marker at the moment the slider shows.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { TimelinePoint } from "./timeline.js";

/** Draws `points` into `element`; returns a function that moves the marker to a point. */
export function drawChart(
  element: HTMLElement,
  points: readonly TimelinePoint[],
): (index: number) => void {
  const stepped = uPlot.paths.stepped?.({ align: 1 });
  const series = (label: string, stroke: string): uPlot.Series => ({
    label,
    stroke,
    width: 2,
    ...(stepped ? { paths: stepped } : {}),
  });
  const plot = new uPlot(
    {
      width: Math.max(320, element.clientWidth || 560),
      height: 240,
      scales: { x: { time: true } },
      series: [{}, series("done", "#15803d"), series("open", "#b45309")],
      axes: [{}, { label: "todos" }],
      cursor: { drag: { x: false, y: false } },
    },
    [points.map((p) => p.seconds), points.map((p) => p.done), points.map((p) => p.open)],
    element,
  );
  return (index) =>
    plot.setCursor({ left: plot.valToPos(points[index]?.seconds ?? 0, "x"), top: 10 });
}
