ALTER TABLE "export_contacts" ADD COLUMN "skip_reason" text;--> statement-breakpoint
ALTER TABLE "export_runs" ADD COLUMN "skipped_count" integer DEFAULT 0 NOT NULL;