/**
 * Efficiency scores (效能评分) per office and per person: 100 × Σ wᵢ·cᵢ / Σ wᵢ over the components
 * that apply, each component in [0, 1]. Weights come from supervision_settings (editable).
 */
export interface EfficiencyWeights {
  /** share of steps finished within their limit */
  onTime: number;
  /** 1 − share of steps that got a yellow or red card */
  noWarning: number;
  /** 1 − min(1, average working days used / limit) */
  speed: number;
  /** 1 − share of supervision orders answered late (offices only) */
  orders: number;
}

export const defaultWeights: EfficiencyWeights = { onTime: 0.5, noWarning: 0.2, speed: 0.2, orders: 0.1 };

export interface ScoreInput {
  steps: number;
  onTime: number;
  withAlert: number;
  /** Σ working days used / Σ limit over steps with a working-day limit; null when none */
  usedOfLimit: number | null;
  orders: number;
  ordersLate: number;
}

export interface Score {
  score: number | null;
  components: Partial<Record<keyof EfficiencyWeights, number>>;
}

export function efficiencyScore(input: ScoreInput, weights: EfficiencyWeights): Score {
  const components: Partial<Record<keyof EfficiencyWeights, number>> = {};
  if (input.steps > 0) {
    components.onTime = input.onTime / input.steps;
    components.noWarning = 1 - input.withAlert / input.steps;
    if (input.usedOfLimit !== null) components.speed = 1 - Math.min(1, input.usedOfLimit);
  }
  if (input.orders > 0) components.orders = 1 - input.ordersLate / input.orders;
  let sum = 0;
  let weight = 0;
  for (const [key, value] of Object.entries(components) as Array<[keyof EfficiencyWeights, number]>) {
    sum += weights[key] * value;
    weight += weights[key];
  }
  return { score: weight > 0 ? Math.round((1000 * sum) / weight) / 10 : null, components };
}

export function validWeights(value: unknown): value is EfficiencyWeights {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const keys: Array<keyof EfficiencyWeights> = ['onTime', 'noWarning', 'speed', 'orders'];
  return (
    keys.every((k) => typeof v[k] === 'number' && Number.isFinite(v[k]) && v[k] >= 0) &&
    keys.some((k) => (v[k] as number) > 0)
  );
}
