// Minimal typing for bpmn-moddle (it ships none), used only by bench/engine.bench.ts to
// pre-parse the benchmark XML once so neither engine re-parses XML per instance.
declare module 'bpmn-moddle' {
  import type { BpmnModdleDefinitions } from 'bpmn-engine';
  export default class BpmnModdle {
    fromXML(xml: string): Promise<BpmnModdleDefinitions>;
  }
}
