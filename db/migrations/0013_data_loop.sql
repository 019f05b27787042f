ALTER TYPE "public"."run_trigger" ADD VALUE 'SOURCE_CHANGED';--> statement-breakpoint
CREATE TABLE "results_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"database_url_ciphertext" text NOT NULL,
	"database_url_masked" text NOT NULL,
	"schema" text NOT NULL,
	"last_written_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "export_contacts" ADD COLUMN "left_run_id" uuid;--> statement-breakpoint
ALTER TABLE "export_runs" ADD COLUMN "results_write_error" text;--> statement-breakpoint
ALTER TABLE "exports" ADD COLUMN "results_target_id" uuid;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "subject" text;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "change_query" text;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "change_check_seconds" integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "last_change_value" text;--> statement-breakpoint
ALTER TABLE "results_targets" ADD CONSTRAINT "results_targets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exports" ADD CONSTRAINT "exports_results_target_id_results_targets_id_fk" FOREIGN KEY ("results_target_id") REFERENCES "public"."results_targets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_subject_rule_idx" ON "notification_deliveries" USING btree ("subject","rule_id");