/**
 * Tool groups for the viewports. A measuring viewport (photo, B-scan, cine) gets brightness /
 * contrast, zoom, pan and the annotation tools; a localizer gets only zoom and pan, because a
 * left click there picks a B-scan. The right button zooms and the middle button pans everywhere.
 */
import {
  ArrowAnnotateTool,
  Enums as ToolEnums,
  LabelTool,
  LengthTool,
  PanTool,
  RectangleROITool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import type { TAnnotationTool } from '@/server/viewer/annotation-types';
import { showArea, showLength, type LengthDisplay } from '@/server/viewer/units';

export type PrimaryTool = 'WindowLevel' | TAnnotationTool;

const { MouseBindings } = ToolEnums;

type Stats = Record<string, { length?: number; unit?: string; area?: number; areaUnit?: string }>;

function lengthLines(display: LengthDisplay) {
  return (data: { cachedStats: Stats }, targetId: string) => {
    const s = data.cachedStats[targetId];
    if (s?.length === undefined || s.length === null || Number.isNaN(s.length)) return undefined;
    return [showLength(s.length, s.unit ?? 'px', display).text];
  };
}

function areaLines(display: LengthDisplay) {
  return (data: { cachedStats: Stats }, targetIds: string | string[]) => {
    const id = Array.isArray(targetIds) ? targetIds[0] : targetIds;
    const s = data.cachedStats[id];
    if (s?.area === undefined || s.area === null || Number.isNaN(s.area)) return undefined;
    return [showArea(s.area, s.areaUnit ?? 'px²', display).text];
  };
}

/** Text for arrows and labels, asked with the browser's own prompt (tests answer it). */
function askText(done: (text: string) => void) {
  done(window.prompt('Text of the annotation:') ?? '');
}

function changeText(_data: unknown, _event: unknown, done: (text: string) => void) {
  askText(done);
}

export function createMeasuringGroup(id: string, display: LengthDisplay): ToolTypes.IToolGroup {
  const group = ToolGroupManager.createToolGroup(id);
  if (!group) throw new Error(`tool group ${id} exists already`);
  group.addTool(WindowLevelTool.toolName);
  group.addTool(PanTool.toolName);
  group.addTool(ZoomTool.toolName);
  group.addTool(LengthTool.toolName, { getTextLines: lengthLines(display) });
  group.addTool(RectangleROITool.toolName, { getTextLines: areaLines(display) });
  const text = { getTextCallback: askText, changeTextCallback: changeText };
  group.addTool(ArrowAnnotateTool.toolName, text);
  group.addTool(LabelTool.toolName, text);

  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
  setPrimaryTool(group, 'WindowLevel');
  return group;
}

export function createLocalizerGroup(id: string): ToolTypes.IToolGroup {
  const group = ToolGroupManager.createToolGroup(id);
  if (!group) throw new Error(`tool group ${id} exists already`);
  group.addTool(PanTool.toolName);
  group.addTool(ZoomTool.toolName);
  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
  return group;
}

const PRIMARY_TOOLS: PrimaryTool[] = [
  'WindowLevel',
  'Length',
  'RectangleROI',
  'ArrowAnnotate',
  'Label',
];

/**
 * Binds the left button to `tool`. The other annotation tools stay passive, so what they drew
 * can still be selected and moved.
 */
export function setPrimaryTool(group: ToolTypes.IToolGroup, tool: PrimaryTool): void {
  for (const name of PRIMARY_TOOLS) {
    if (name !== tool) group.setToolPassive(name, { removeAllBindings: true });
  }
  group.setToolActive(tool, { bindings: [{ mouseButton: MouseBindings.Primary }] });
}

export function destroyGroup(id: string): void {
  ToolGroupManager.destroyToolGroup(id);
}
