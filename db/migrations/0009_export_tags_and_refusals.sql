ALTER TYPE "public"."on_leave_policy" ADD VALUE 'REMOVE_TAGS';--> statement-breakpoint
ALTER TABLE "export_contacts" ADD COLUMN "skip_reason" text;--> statement-breakpoint
ALTER TABLE "export_runs" ADD COLUMN "skipped_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "exports" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "exports" ADD COLUMN "exclude_automations" boolean DEFAULT false NOT NULL;