ALTER TABLE "export_contacts" ADD COLUMN "failed_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "export_runs" ADD COLUMN "failure_lookups" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "run_batches" ADD COLUMN "split_of" integer;