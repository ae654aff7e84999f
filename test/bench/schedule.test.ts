/**
 * The bench's time budget: Outpost's figures are the ones the targets judge,
 * so a slow reference server must not take the time of Outpost's later rounds.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { turnDeadline, turnOrder, type Turn } from "../../bench/schedule.ts";

const servers = ["outpost", "fedify"];

/**
 * Plays a run through the schedule: each turn takes what it needs, or stops
 * at its deadline. Returns how much of its need each turn got.
 */
function playRun(params: { budgetMs: number; needMs: Record<string, number>; judged: string | undefined }): Array<Turn & { share: number }> {
  const turns = turnOrder({ servers, rounds: 3 });
  const lastTurnMs = new Map<string, number>();
  let now = 0;
  return turns.map((turn, index) => {
    const deadline = turnDeadline({
      nowMs: now,
      deadlineMs: params.budgetMs,
      later: turns.slice(index + 1),
      judged: params.judged,
      lastTurnMs,
      firstGuessMs: 90_000,
    });
    const need = params.needMs[turn.server]!;
    const took = Math.min(need, deadline - now);
    now += took;
    // As the bench does: a turn cut short by the budget says nothing of what a whole one takes.
    if (took === need || !lastTurnMs.has(turn.server)) lastTurnMs.set(turn.server, took);
    return { ...turn, share: took / need };
  });
}

test("turns alternate who goes first, round by round", () => {
  assert.deepEqual(turnOrder({ servers, rounds: 3 }), [
    { server: "outpost", round: 0 },
    { server: "fedify", round: 0 },
    { server: "fedify", round: 1 },
    { server: "outpost", round: 1 },
    { server: "outpost", round: 2 },
    { server: "fedify", round: 2 },
  ]);
});

test("a slow reference server leaves Outpost all three of its rounds and loses its own third", () => {
  // Turn lengths of a slow hour, a little beyond the slowest seen: Outpost a minute, Fedify over three and a half.
  const played = playRun({ budgetMs: 570_000, needMs: { outpost: 60_000, fedify: 220_000 }, judged: "outpost" });
  for (const turn of played.filter((t) => t.server === "outpost")) {
    assert.equal(turn.share, 1, `Outpost's round ${turn.round + 1} was cut short`);
  }
  const fedify = played.filter((t) => t.server === "fedify").map((t) => t.share);
  assert.equal(fedify[0], 1);
  // What Outpost does not need still goes to Fedify: the run ends within ten seconds of its budget.
  const usedMs = played.reduce((sum, t) => sum + t.share * (t.server === "outpost" ? 60_000 : 220_000), 0);
  assert.ok(usedMs > 560_000 && usedMs <= 570_000, `the run used ${usedMs} ms of 570,000`);
});

test("the time held back covers Outpost's later turns with a margin, and no more", () => {
  const later: Turn[] = [
    { server: "outpost", round: 1 },
    { server: "outpost", round: 2 },
    { server: "fedify", round: 2 },
  ];
  const deadline = turnDeadline({
    nowMs: 100_000,
    deadlineMs: 570_000,
    later,
    judged: "outpost",
    lastTurnMs: new Map([["outpost", 40_000], ["fedify", 150_000]]),
    firstGuessMs: 90_000,
  });
  assert.equal(deadline, 570_000 - 2 * 40_000 * 1.25);
});

test("Outpost's later turns are guessed at before one has been measured", () => {
  const deadline = turnDeadline({
    nowMs: 0,
    deadlineMs: 570_000,
    later: [{ server: "outpost", round: 1 }],
    judged: "outpost",
    lastTurnMs: new Map(),
    firstGuessMs: 90_000,
  });
  assert.equal(deadline, 570_000 - 90_000 * 1.25);
});

test("without a judged server each turn gets whatever is left", () => {
  const played = playRun({ budgetMs: 400_000, needMs: { outpost: 190_000, fedify: 190_000 }, judged: undefined });
  assert.deepEqual(
    played.map((t) => Number(t.share.toFixed(3))),
    [1, 1, 20_000 / 190_000, 0, 0, 0].map((share) => Number(share.toFixed(3))),
  );
});

test("a turn whose held-back time exceeds what is left ends at once instead of before now", () => {
  const deadline = turnDeadline({
    nowMs: 500_000,
    deadlineMs: 570_000,
    later: [{ server: "outpost", round: 2 }],
    judged: "outpost",
    lastTurnMs: new Map([["outpost", 60_000]]),
    firstGuessMs: 90_000,
  });
  assert.equal(deadline, 500_000);
});
