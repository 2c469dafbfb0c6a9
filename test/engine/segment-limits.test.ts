/** Segment limits written as text ("Lost<=5%; Champions>=20%"): the engine's parser. */
import fc from 'fast-check';
import { InputError } from '../../src/engine/errors';
import {
  isSegmentLimitText,
  parseSegmentLimitText,
  SegmentLimitError,
  SegmentLimitProblem,
  segmentShareLimits,
} from '../../src/engine/allocation/segment-limits';
import * as engine from '../../src/engine';

function problemOf(action: () => unknown): { problem: SegmentLimitProblem; error: SegmentLimitError } {
  try {
    action();
  } catch (error) {
    if (error instanceof SegmentLimitError) return { problem: error.problem, error };
    throw error;
  }
  throw new Error('expected a SegmentLimitError');
}

describe('parseSegmentLimitText', () => {
  test('segment<=share is a maximum, segment>=share a minimum, in the order written', () => {
    expect(parseSegmentLimitText('Lost<=5%; Champions>=20%')).toEqual([
      { segment: 'Lost', kind: 'max', share: 0.05 },
      { segment: 'Champions', kind: 'min', share: 0.2 },
    ]);
  });

  test('other operators, separators, fractions and spaces', () => {
    expect(parseSegmentLimitText(' At Risk =< 0.1 ，Lost≤5%；Champions ≥ 0.2\nNew＞＝1%\r\nPromising=>0, Others＜＝100%')).toEqual([
      { segment: 'At Risk', kind: 'max', share: 0.1 },
      { segment: 'Lost', kind: 'max', share: 0.05 },
      { segment: 'Champions', kind: 'min', share: 0.2 },
      { segment: 'New', kind: 'min', share: 0.01 },
      { segment: 'Promising', kind: 'min', share: 0 },
      { segment: 'Others', kind: 'max', share: 1 },
    ]);
    expect(parseSegmentLimitText('重要价值客户>=30%')).toEqual([{ segment: '重要价值客户', kind: 'min', share: 0.3 }]);
  });

  test('blank text or only separators: no limits', () => {
    expect(parseSegmentLimitText('')).toEqual([]);
    expect(parseSegmentLimitText(' ;；, \n')).toEqual([]);
  });

  test('an item that is not a limit names the item', () => {
    for (const [text, item] of [
      ['Lost=5%', 'Lost=5%'],
      ['Lost<=5%; Champions>=lots', 'Champions>=lots'],
      ['<=5%', '<=5%'],
      ['Lost<=', 'Lost<='],
      ['Lost<=5%<=6%', 'Lost<=5%<=6%'],
    ]) {
      const { problem, error } = problemOf(() => parseSegmentLimitText(text));
      expect(problem).toEqual({ reason: 'not-a-limit', item });
      expect(error).toBeInstanceOf(InputError);
      expect(error.code).toBe('bad-parameter');
      expect(error.message).toBe(
        `segment limits: '${item}' is not a segment limit; write segment<=share or segment>=share, separated by semicolons, e.g. Lost<=5%;Champions>=20%`,
      );
    }
  });

  test('a share outside 0..1 names the segment and the share as written', () => {
    const { problem, error } = problemOf(() => parseSegmentLimitText('Lost<=5'));
    expect(problem).toEqual({ reason: 'bad-share', item: 'Lost<=5', segment: 'Lost', value: '5' });
    expect(error.message).toBe("segment limits: the share 5 for 'Lost' must be a fraction from 0 to 1, such as 20% or 0.2");
    expect(problemOf(() => parseSegmentLimitText('Champions>=120%')).problem).toMatchObject({ reason: 'bad-share', value: '120%' });
    expect(problemOf(() => parseSegmentLimitText('Champions>=-1%')).problem).toMatchObject({ reason: 'bad-share', value: '-1%' });
  });

  test('property: limits written out are read back', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z ']{0,12}[A-Za-z]$/);
    const limit = fc.record({ segment: name, kind: fc.constantFrom<'min' | 'max'>('min', 'max'), percent: fc.integer({ min: 0, max: 100 }) });
    fc.assert(
      fc.property(fc.array(limit, { maxLength: 6 }), fc.constantFrom(';', '; ', '；', ',', '\n'), (limits, separator) => {
        const text = limits.map((l) => `${l.segment}${l.kind === 'max' ? '<=' : '>='}${l.percent}%`).join(separator);
        expect(parseSegmentLimitText(text)).toEqual(limits.map((l) => ({ segment: l.segment, kind: l.kind, share: l.percent / 100 })));
      }),
    );
  });
});

test('isSegmentLimitText: text with a limit operator', () => {
  expect([isSegmentLimitText('Lost<=5%'), isSegmentLimitText('A ≥ 0.2'), isSegmentLimitText('Lost'), isSegmentLimitText('20%')]).toEqual([true, true, false, false]);
});

describe('segmentShareLimits', () => {
  test('minimum and maximum shares per segment', () => {
    expect(segmentShareLimits(parseSegmentLimitText('Lost<=5%; Champions>=20%; Champions<=60%'))).toEqual({
      min: { Champions: 0.2 },
      max: { Lost: 0.05, Champions: 0.6 },
    });
    expect(segmentShareLimits([])).toEqual({ min: {}, max: {} });
  });

  test('two maximums (or minimums) for a segment, or a minimum above the maximum, are refused', () => {
    expect(problemOf(() => segmentShareLimits(parseSegmentLimitText('Lost<=5%; Lost<=10%'))).problem).toEqual({ reason: 'duplicate', segment: 'Lost', kind: 'max' });
    expect(problemOf(() => segmentShareLimits(parseSegmentLimitText('A>=5%; A>=10%'))).problem).toEqual({ reason: 'duplicate', segment: 'A', kind: 'min' });
    const { problem, error } = problemOf(() => segmentShareLimits(parseSegmentLimitText('Lost>=30%; Lost<=5%')));
    expect(problem).toEqual({ reason: 'min-above-max', segment: 'Lost', min: 0.3, max: 0.05 });
    expect(error.message).toBe("segment limits: the minimum share of 'Lost' (0.3) is above its maximum share (0.05); lower the minimum or raise the maximum");
  });

  test('names are kept as written: "__proto__" and "constructor" are ordinary segments', () => {
    const limits = segmentShareLimits(parseSegmentLimitText('__proto__<=5%; constructor>=10%'));
    expect(Object.keys(limits.max)).toEqual(['__proto__']);
    expect(limits.max['__proto__']).toBe(0.05);
    expect(limits.min).toEqual({ constructor: 0.1 });
  });
});

test('the engine barrel exports the parser', () => {
  expect(engine.parseSegmentLimitText).toBe(parseSegmentLimitText);
  expect(engine.segmentShareLimits).toBe(segmentShareLimits);
});
