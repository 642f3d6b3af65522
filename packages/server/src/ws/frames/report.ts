import { sessionFrame } from './context.js';

/** `report` → `reported`: the message (or the reporter's verified copy) is kept for operators. */
export const report = sessionFrame<'report'>(async (frame, ctx) => {
  const reportId = await ctx.services.reports.report(ctx.session.userId, frame);
  ctx.reply({ type: 'reported', id: frame.id, reportId });
});
