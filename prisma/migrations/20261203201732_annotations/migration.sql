-- CreateTable
CREATE TABLE "Annotation" (
    "id" UUID NOT NULL,
    "studyId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "sopInstanceUID" TEXT NOT NULL,
    "frameNumber" INTEGER,
    "toolName" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "label" TEXT,
    "value" DOUBLE PRECISION,
    "unit" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Annotation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Annotation_studyId_userId_idx" ON "Annotation"("studyId", "userId");

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
