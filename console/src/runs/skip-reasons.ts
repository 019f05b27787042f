export const skippedExplanation =
  'ActiveCampaign refused them for good (they unsubscribed themselves, or it refused them on every attempt with the same data); they are not sent again until their data changes.';
