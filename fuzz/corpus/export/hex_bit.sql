F-- Literal forms other than plain quoted strings, as third-party tools and
-- mysqldump --hex-blob write them: X'..', 0x.., b'..', 0b.., charset
-- introducers with and without a space, and numbers in every shape.
SET NAMES utf8mb4;

DROP TABLE IF EXISTS `literals`;
CREATE TABLE `literals` (
  `id` int NOT NULL,
  `bin` varbinary(16) DEFAULT NULL,
  `flag` bit(1) DEFAULT NULL,
  `bits` bit(5) DEFAULT NULL,
  `txt` varchar(40) DEFAULT NULL,
  `num` double DEFAULT NULL,
  `dec` decimal(12,4) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO `literals` VALUES
(1,X'00FF5C27',b'1',b'10101',_utf8mb4'plain',-1.5e-3,-12.3400),
(2,0x0a0d1a,b'0',b'00000',_utf8mb4 'space after introducer',1E10,0.0001),
(3,x'',0b1,0b11111,_latin1'café as latin1 bytes',+7,-0.0000),
(4,_binary 'raw\0bytes',0x01,0x15,X'E697A5E69CAC',.5,12345678.9999),
(5,_binary 0xDEADBEEF,NULL,NULL,N'national',-0,1e2),
(6,NULL,b'1',B'01',_utf8mb4 X'F09F9880',1.7976931348623157E308,-99999999.9999);
