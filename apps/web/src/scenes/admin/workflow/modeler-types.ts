// The few bpmn-js services the editor uses, typed narrowly (bpmn-js's own typings are loose
// about services fetched by name).

export interface BusinessObject {
  id: string;
  name?: string;
  $type: string;
  get: (name: string) => unknown;
}
export interface DiagramElement {
  id: string;
  type: string;
  businessObject: BusinessObject;
}
export interface Canvas {
  addMarker: (element: string, marker: string) => void;
  removeMarker: (element: string, marker: string) => void;
  scrollToElement: (element: DiagramElement) => void;
  zoom: (level: string) => void;
}
export interface ElementRegistry {
  get: (id: string) => DiagramElement | undefined;
}
export interface Selection {
  select: (element: DiagramElement) => void;
}
export interface Modeling {
  updateProperties: (element: DiagramElement, properties: Record<string, unknown>) => void;
}
